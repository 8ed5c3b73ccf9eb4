package io.scoregate.scoring;

import io.scoregate.audit.DecisionRenderer;
import io.scoregate.audit.JournalEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads a decision journaled by reference back into the document it was: the answer as given
 * (members in the answer's order, the policy's reason texts made again from their codes and the
 * decision's numbers), then who asked and the data used (the assessment's features and events).
 */
public final class DecisionDocument implements DecisionRenderer {

  private final ReasonTexts texts = new ReasonTexts();

  @Override
  public JsonObject render(JournalEntry d, JsonObject a) {
    JsonArray reasons = new JsonArray();
    a.getJsonArray("rule_reasons").forEach(reasons::add);
    for (String code : d.policyReasons()) {
      if (texts.knows(code)) {
        reasons.add(
            EncodedAssessment.reason(
                texts.limit(code, d.amount(), d.maxAmount(), d.paymentTerm(), d.maxPaymentTerm())));
      } else {
        // A tenant rule's own code: its texts live in the policy version named by
        // policy_version, not in the platform's bundles; the journal keeps the code.
        reasons.add(new JsonObject().put("code", code));
      }
    }
    a.getJsonArray("model_reasons").forEach(reasons::add);
    JsonObject document =
        new JsonObject()
            .put("decision_id", d.decisionId().toString())
            .put("company", a.getJsonObject("company"))
            .put("score", a.getValue("score"))
            .put("risk_level", a.getString("risk_level"))
            .put("pd", a.getValue("pd"))
            .put("recommendation", d.recommendation())
            .put("max_amount", d.maxAmount())
            .put("max_payment_term", d.maxPaymentTerm())
            .put("currency", "EUR")
            .put(
                "requested",
                new JsonObject().put("amount", d.amount()).put("payment_term", d.paymentTerm()))
            .put("reasons", reasons)
            .put("model_version", a.getString("model_version"))
            .put("policy_version", d.policyVersion())
            .put("policy_rule", d.policyRule())
            .put("data_as_of", a.getString("data_as_of"))
            .put("scored_at", d.scoredAt().toString())
            .put("evaluated_at", d.createdAt().toString())
            .put("tenant_id", d.tenantId())
            .put("request_id", d.requestId())
            .put("features", a.getJsonObject("features"))
            .put("events", a.getJsonObject("events"));
    if (d.policyRule() == null) {
      document.remove("policy_rule");
    }
    return document;
  }
}
