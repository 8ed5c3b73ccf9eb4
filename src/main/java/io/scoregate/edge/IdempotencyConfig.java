package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

/** How long an Idempotency-Key replays its first answer. */
public record IdempotencyConfig(long ttlHours) {
  public IdempotencyConfig {
    require(ttlHours > 0, "idempotency.ttlHours must be > 0");
  }
}
