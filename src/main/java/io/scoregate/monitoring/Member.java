package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A member as the API lists it: the company, the tenant's reference and exposure, the terms the
 * policy recommends, the current score and the last change of it. Score fields are null until the
 * company is scored; the last change is null without history.
 */
record Member(
    String reference,
    String country,
    String nationalId,
    String name,
    String sector,
    String region,
    BigDecimal exposure,
    String currency,
    Integer paymentTermsDays,
    Double originationPd,
    BigDecimal recommendedLimit,
    Integer recommendedTerm,
    Instant addedAt,
    Integer score,
    Double pd,
    String grade,
    String riskLevel,
    Instant lastChangeAt,
    Integer lastChangeFrom,
    Integer lastChangeTo,
    String lastChangeCause) {

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("reference", reference)
            .put(
                "company",
                new JsonObject()
                    .put("country", country)
                    .put("id", nationalId)
                    .put("name", name)
                    .put("sector", sector)
                    .put("region", region))
            .put("exposure", exposure.toPlainString())
            .put("currency", currency)
            .put("payment_terms_days", paymentTermsDays)
            .put("origination_pd", originationPd)
            .put(
                "recommended_limit",
                recommendedLimit == null ? null : recommendedLimit.toPlainString())
            .put("recommended_term", recommendedTerm)
            .put("added_at", addedAt.toString())
            .put("score", score)
            .put("pd", pd)
            .put("grade", grade)
            .put("risk_level", riskLevel);
    json.put(
        "last_change",
        lastChangeAt == null
            ? null
            : new JsonObject()
                .put("at", lastChangeAt.toString())
                .put("score_before", lastChangeFrom)
                .put("score_after", lastChangeTo)
                .put("cause", lastChangeCause));
    return json;
  }
}
