package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One alert row as it was inserted: which rule of which portfolio fired for which member, the
 * member's reference and exposure at that moment, the score and risk level before and after, and
 * the cause (a score change's cause, or the fact's event). Nullable: ruleVersion, scoreBefore,
 * scoreAfter, levelBefore, levelAfter, causeEventId, causeEventKind.
 */
public record Alert(
    UUID id,
    String tenantId,
    UUID portfolioId,
    String rule,
    Long ruleVersion,
    long companyId,
    String country,
    String nationalId,
    String companyName,
    String reference,
    BigDecimal exposure,
    Integer scoreBefore,
    Integer scoreAfter,
    String levelBefore,
    String levelAfter,
    String cause,
    Long causeEventId,
    String causeEventKind,
    JsonObject details,
    String status,
    Instant createdAt) {

  /** The alert as the API and the notifications show it. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("portfolio_id", portfolioId.toString())
        .put("rule", rule)
        .put("rule_version", ruleVersion)
        .put(
            "company",
            new JsonObject().put("country", country).put("id", nationalId).put("name", companyName))
        .put("reference", reference)
        .put("exposure", exposure == null ? null : exposure.toPlainString())
        .put("score_before", scoreBefore)
        .put("score_after", scoreAfter)
        .put("level_before", levelBefore)
        .put("level_after", levelAfter)
        .put("cause", cause)
        .put("cause_event_id", causeEventId)
        .put("cause_event_kind", causeEventKind)
        .put("details", details == null ? new JsonObject() : details)
        .put("status", status)
        .put("created_at", createdAt.toString());
  }
}
