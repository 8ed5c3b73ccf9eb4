package io.scoregate.scoring;

import io.scoregate.policy.Recommendation;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.UUID;

/**
 * A decision's answer in JSON, written straight into the buffer that is sent: the runs that are the
 * same for every decision on an assessment come as bytes encoded once ({@link
 * EncodedAssessment#answer()}), and only the decision's own values are encoded per call. The
 * journal keeps the decision's own values and a reference to the assessment, and {@link
 * DecisionDocument} reads them back into this same document.
 *
 * @param answer the body sent to the caller
 */
record DecisionJson(Buffer answer) {

  private static final byte[][] RECOMMENDATIONS = new byte[Recommendation.values().length][];

  static {
    for (Recommendation r : Recommendation.values()) {
      RECOMMENDATIONS[r.ordinal()] = JsonBytes.quoted(r.wire());
    }
  }

  private static final byte[] DECISION_ID = JsonBytes.bytes("{\"decision_id\":");
  private static final byte[] MAX_AMOUNT = JsonBytes.bytes(",\"max_amount\":");
  private static final byte[] MAX_PAYMENT_TERM = JsonBytes.bytes(",\"max_payment_term\":");
  private static final byte[] REQUESTED_AMOUNT =
      JsonBytes.bytes(",\"currency\":\"EUR\",\"requested\":{\"amount\":");
  private static final byte[] PAYMENT_TERM = JsonBytes.bytes(",\"payment_term\":");
  private static final byte[] REASONS = JsonBytes.bytes("},\"reasons\":[");
  private static final byte[] POLICY_RULE = JsonBytes.bytes(",\"policy_rule\":");
  private static final byte[] EVALUATED_AT = JsonBytes.bytes(",\"evaluated_at\":");

  static DecisionJson write(
      UUID decisionId,
      Instant evaluatedAt,
      ScoringRequest request,
      EncodedAssessment encoded,
      DecisionPolicy.Outcome outcome,
      String policyVersion) {
    return write(decisionId, evaluatedAt, request, encoded, outcome, policyVersion, null);
  }

  /** The same, naming the policy rule that decided ({@code policy_rule}), when one did. */
  static DecisionJson write(
      UUID decisionId,
      Instant evaluatedAt,
      ScoringRequest request,
      EncodedAssessment encoded,
      DecisionPolicy.Outcome outcome,
      String policyVersion,
      String policyRule) {
    EncodedAssessment.Answer parts = encoded.answer();
    JsonBytes out = new JsonBytes(parts.size() + 256 + 256 * outcome.reasons().size());
    out.raw(DECISION_ID).string(decisionId.toString());
    // company, score, risk_level, pd, then "recommendation":
    out.raw(parts.head()).raw(RECOMMENDATIONS[outcome.recommendation().ordinal()]);
    out.raw(MAX_AMOUNT).number(outcome.maxAmount());
    out.raw(MAX_PAYMENT_TERM).number(outcome.maxPaymentTerm());
    out.raw(REQUESTED_AMOUNT).number(request.amount());
    out.raw(PAYMENT_TERM).number(request.paymentTerm());
    // Rule reasons first (overrides, incidents), then the policy's limits, then the model's.
    out.raw(REASONS).raw(parts.ruleReasons());
    boolean first = parts.ruleReasons().length == 0;
    for (ScoreReason reason : outcome.reasons()) {
      if (!first) {
        out.comma();
      }
      out.reason(reason);
      first = false;
    }
    if (parts.modelReasons().length > 0) {
      if (!first) {
        out.comma();
      }
      out.raw(parts.modelReasons());
    }
    // ],"model_version":...,"policy_version":
    out.raw(parts.modelVersion()).string(policyVersion);
    if (policyRule != null) {
      out.raw(POLICY_RULE).string(policyRule);
    }
    // ,"data_as_of":...,"scored_at":...
    out.raw(parts.tail());
    out.raw(EVALUATED_AT).string(evaluatedAt.toString()).end('}');
    return new DecisionJson(out.buffer());
  }
}
