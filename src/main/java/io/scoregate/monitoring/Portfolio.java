package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A tenant's named set of watched companies. */
record Portfolio(UUID id, String tenantId, String name, Instant createdAt, Instant updatedAt) {

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
