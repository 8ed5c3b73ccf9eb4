package io.scoregate.rollout;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A row of the registry, without its artifact. */
public record RegisteredModel(
    String version,
    ModelStatus status,
    String sha256,
    JsonObject metrics,
    Instant registeredAt,
    Instant statusChangedAt) {

  public JsonObject json() {
    return new JsonObject()
        .put("version", version)
        .put("status", status.wire())
        .put("sha256", sha256)
        .put("metrics", metrics)
        .put("registered_at", registeredAt.toString())
        .put("status_changed_at", statusChangedAt.toString());
  }
}
