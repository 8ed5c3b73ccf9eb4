package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/** One row of a portfolio's rule history: the state a rule was put in, by whom and when. */
record RuleChange(
    long version,
    String rule,
    boolean enabled,
    JsonObject params,
    BigDecimal minExposure,
    String change,
    String changedBy,
    Instant changedAt) {

  JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("rule", rule)
        .put("enabled", enabled)
        .put("params", params)
        .put("min_exposure", minExposure == null ? null : minExposure.toPlainString())
        .put("change", change)
        .put("changed_by", changedBy)
        .put("changed_at", changedAt.toString());
  }
}
