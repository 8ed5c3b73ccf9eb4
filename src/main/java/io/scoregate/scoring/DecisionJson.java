package io.scoregate.scoring;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * A decision's answer in JSON, written in one pass; the assessment's parts come already encoded
 * ({@link EncodedAssessment}). The journal keeps the decision's own values and a reference to the
 * assessment, and {@link DecisionDocument} reads them back into this same document.
 *
 * @param answer the body sent to the caller
 */
record DecisionJson(Buffer answer) {

  private static final JsonFactory JSON = new JsonFactory();

  static DecisionJson write(
      UUID decisionId,
      Instant evaluatedAt,
      ScoringRequest request,
      EncodedAssessment encoded,
      DecisionPolicy.Outcome outcome,
      String policyVersion) {
    Assessment a = encoded.assessment();
    ByteArrayBuilder out = new ByteArrayBuilder(2048);
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
      g.writeStringField("policy_version", policyVersion);
      g.writeStringField("data_as_of", a.dataAsOf() == null ? null : a.dataAsOf().toString());
      g.writeStringField("scored_at", a.evaluatedAt().toString());
      g.writeStringField("evaluated_at", evaluatedAt.toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
    return new DecisionJson(Buffer.buffer(out.toByteArray()));
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
