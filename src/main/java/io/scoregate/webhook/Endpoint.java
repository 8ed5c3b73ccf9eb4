package io.scoregate.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's webhook endpoint as stored; its secrets stay encrypted here. */
record Endpoint(
    UUID id,
    String tenantId,
    String url,
    String description,
    List<String> eventTypes,
    UUID portfolioId,
    String ownerEmail,
    boolean enabled,
    String disabledReason,
    byte[] secretEnc,
    byte[] previousSecretEnc,
    Instant previousSecretUntil,
    Instant failingSince,
    Instant createdAt,
    Instant updatedAt) {

  /** The event types an endpoint may ask for. */
  static final List<String> EVENT_TYPES =
      List.of("alert.created", "score.changed", "batch.completed", "ping");

  /** What the API shows: never a secret. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("url", url)
        .put("description", description)
        .put("event_types", new JsonArray(eventTypes))
        .put("portfolio_id", portfolioId == null ? null : portfolioId.toString())
        .put("owner_email", ownerEmail)
        .put("enabled", enabled)
        .put("disabled_reason", disabledReason)
        .put("failing_since", failingSince == null ? null : failingSince.toString())
        .put(
            "previous_secret_expires_at",
            previousSecretUntil == null ? null : previousSecretUntil.toString())
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
