package io.scoregate.scoring;

import io.scoregate.audit.DecisionRenderer;
import io.scoregate.audit.JournalEntry;
import io.scoregate.policy.Guardrails;
import io.scoregate.policy.PolicyRule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Reads a decision journaled by reference back into the document it was: the answer as given
 * (members in the answer's order, the policy's reason texts made again from their codes: the
 * deciding rule's own from the policy version that decided, which never changes; the limits' from
 * the decision's numbers; the amount cap's from the cap the decision recorded; the other
 * guardrails' fixed ones), then who asked and the data used (the assessment's features and events).
 */
public final class DecisionDocument implements DecisionRenderer {

  /** The reason a tenant's rule adds to its answers, null when none (PolicyService::ruleReason). */
  @FunctionalInterface
  public interface RuleReasons {
    Future<PolicyRule.Reason> of(String tenantId, String version, String ruleId);
  }

  private final ReasonTexts texts = new ReasonTexts();
  private final RuleReasons ruleReasons;

  public DecisionDocument(RuleReasons ruleReasons) {
    this.ruleReasons = ruleReasons;
  }

  @Override
  public Future<JsonObject> render(JournalEntry d, JsonObject a) {
    List<String> codes = d.policyReasons();
    if (codes.isEmpty()) {
      return Future.succeededFuture(document(d, a, null));
    }
    return ruleReasons
        .of(d.tenantId(), d.policyVersion(), d.policyRule())
        .map(rule -> document(d, a, rule));
  }

  private JsonObject document(JournalEntry d, JsonObject a, PolicyRule.Reason rule) {
    JsonArray reasons = new JsonArray();
    a.getJsonArray("rule_reasons").forEach(reasons::add);
    List<String> codes = d.policyReasons();
    for (int i = 0; i < codes.size(); i++) {
      String code = codes.get(i);
      PolicyRule.Reason fixed = Guardrails.fixedReason(code);
      if (i == 0 && rule != null && rule.code().equals(code)) {
        // The deciding rule's reason comes first, as answered.
        reasons.add(text(code, rule.text(), rule.textFr()));
      } else if (texts.knows(code)) {
        reasons.add(
            EncodedAssessment.reason(
                texts.limit(code, d.amount(), d.maxAmount(), d.paymentTerm(), d.maxPaymentTerm())));
      } else if (fixed != null) {
        reasons.add(text(code, fixed.text(), fixed.textFr()));
      } else if (Guardrails.AMOUNT_CAP.equals(code) && d.amountCap() != null) {
        PolicyRule.Reason cap = Guardrails.amountCap(d.amountCap());
        reasons.add(text(code, cap.text(), cap.textFr()));
      } else {
        // A row written before the cap was recorded: its text named a cap the row does not keep.
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

  private static JsonObject text(String code, String text, String textFr) {
    return EncodedAssessment.reason(ScoreReason.rule(code, text, textFr));
  }
}
