package io.scoregate.scoring;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.scoregate.policy.PolicyDecision;
import io.scoregate.policy.PolicyInputs;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A decision in JSON, written in one pass: the answer for the caller and the journal record, which
 * is the answer followed by who asked and the data used (features, events). The record is the
 * answer's bytes plus its own members, so the answer is never encoded twice; the assessment's parts
 * come already encoded ({@link EncodedAssessment}).
 *
 * @param answer the body sent to the caller
 * @param record the journal record, UTF-8 JSON text, hashed and stored as is
 */
record DecisionJson(Buffer answer, byte[] record) {

  private static final JsonFactory JSON = new JsonFactory();

  static DecisionJson write(
      UUID decisionId,
      Instant evaluatedAt,
      ScoringRequest request,
      EncodedAssessment encoded,
      DecisionPolicy.Outcome outcome,
      PolicyDecision decision,
      PolicyInputs inputs,
      String tenantId,
      String requestId) {
    Assessment a = encoded.assessment();
    ByteArrayBuilder out = new ByteArrayBuilder(4096);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("decision_id", decisionId.toString());
      g.writeFieldName("company");
      g.writeRawValue(encoded.company());
      writeNumberOrNull(g, "score", a.score());
      g.writeStringField("risk_level", a.riskLevel());
      writeNumberOrNull(g, "pd", a.pd());
      g.writeStringField("recommendation", outcome.recommendation().wire());
      g.writeNumberField("max_amount", outcome.maxAmount());
      g.writeNumberField("max_payment_term", outcome.maxPaymentTerm());
      g.writeStringField("currency", "EUR");
      g.writeObjectFieldStart("requested");
      g.writeNumberField("amount", request.amount());
      g.writeNumberField("payment_term", request.paymentTerm());
      g.writeEndObject();
      // Rule reasons first (overrides, incidents), then the policy's limits, then the model's.
      g.writeArrayFieldStart("reasons");
      for (SerializableString reason : encoded.ruleReasons()) {
        g.writeRawValue(reason);
      }
      for (ScoreReason reason : outcome.reasons()) {
        g.writeRawValue(EncodedAssessment.raw(EncodedAssessment.reason(reason)));
      }
      for (SerializableString reason : encoded.modelReasons()) {
        g.writeRawValue(reason);
      }
      g.writeEndArray();
      g.writeStringField("model_version", a.modelVersion());
      g.writeStringField("policy_version", decision.version());
      g.writeStringField("policy_rule", decision.ruleId());
      g.writeStringField("data_as_of", a.dataAsOf() == null ? null : a.dataAsOf().toString());
      g.writeStringField("scored_at", a.evaluatedAt().toString());
      g.writeStringField("evaluated_at", evaluatedAt.toString());
      g.flush();
      int answerEnd = out.size();
      g.writeStringField("tenant_id", tenantId);
      g.writeStringField("request_id", requestId);
      g.writeFieldName("features");
      g.writeRawValue(encoded.features());
      g.writeFieldName("events");
      g.writeRawValue(encoded.events());
      // What the rules read, as they read it: a simulation replays the policy on exactly this.
      g.writeObjectFieldStart("policy_inputs");
      inputs.write(g);
      g.writeEndObject();
      g.writeEndObject();
      g.flush();
      byte[] record = out.toByteArray();
      byte[] answer = Arrays.copyOf(record, answerEnd + 1);
      answer[answerEnd] = '}';
      return new DecisionJson(Buffer.buffer(answer), record);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
  }

  private static void writeNumberOrNull(JsonGenerator g, String name, Number value)
      throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else {
      g.writeNumber(value.doubleValue());
    }
  }
}
