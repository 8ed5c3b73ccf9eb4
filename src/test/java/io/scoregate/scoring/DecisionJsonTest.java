package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.scoregate.audit.JournalEntry;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyProfile;
import io.scoregate.company.EventSummary;
import io.scoregate.company.Ratios;
import io.scoregate.policy.Guardrails;
import io.scoregate.policy.PolicyRule;
import io.scoregate.policy.Recommendation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

  private static final UUID ID = UUID.fromString("0190f3a0-0000-7000-8000-000000000001");
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123456Z");

  private static Assessment assessment() {
    double[] features = new double[Ratios.NAMES.size()];
    Arrays.fill(features, 0.25);
    features[3] = Double.NaN;
    return new Assessment(
        new CompanyKey("FR", "000000018"),
        "Société \"Test\" SAS",
        41,
        0.0375,
        "high",
        List.of(
            new ScoreReason("LOW_LIQUIDITY", "x4", 0.12, 0.8123456, "Low liquidity.", "Liquidité."),
            ScoreReason.rule("PAYMENT_INCIDENTS", "2 incidents.", "2 incidents de paiement.")),
        features,
        "1.1.0",
        LocalDate.of(2025, 12, 31),
        Instant.parse("2026-11-25T09:00:00Z"),
        false,
        100_000,
        50_000,
        new EventSummary(null, null, 2, 1234.5, 95),
        CompanyProfile.UNKNOWN);
  }

  private static DecisionJson write() {
    DecisionPolicy.Outcome outcome =
        new DecisionPolicy.Outcome(
            Recommendation.MANUAL_REVIEW,
            20_000,
            30,
            List.of(
                new ReasonTexts()
                    .limit(DecisionPolicy.AMOUNT_ABOVE_LIMIT, 50_000.5, 20_000, 60, 30)));
    return DecisionJson.write(ID, NOW, REQUEST, ENCODED, outcome, "policy-2026.11");
  }

  private static final DecisionDocument.RuleReasons NO_RULE_REASON =
      (tenant, version, rule) -> Future.succeededFuture(null);

  private static final ScoringRequest REQUEST =
      new ScoringRequest(new CompanyKey("FR", "000000018"), null, 50_000.5, 60);
  private static final DecisionPolicy.Outcome SCALE =
      new DecisionPolicy.Outcome(Recommendation.ACCEPT_WITH_MONITORING, 20_000, 30, List.of());
  private static final EncodedAssessment ENCODED = new EncodedAssessment(assessment(), SCALE);

  @Test
  void theAnswerHasEveryMemberOfTheContract() {
    JsonObject answer = new JsonObject(write().answer());
    assertThat(answer.getString("decision_id")).isEqualTo(ID.toString());
    assertThat(answer.getJsonObject("company"))
        .isEqualTo(
            new JsonObject()
                .put("country", "FR")
                .put("id", "000000018")
                .put("name", "Société \"Test\" SAS"));
    assertThat(answer.getInteger("score")).isEqualTo(41);
    assertThat(answer.getString("risk_level")).isEqualTo("high");
    assertThat(answer.getDouble("pd")).isEqualTo(0.0375);
    assertThat(answer.getString("recommendation")).isEqualTo("manual_review");
    assertThat(answer.getLong("max_amount")).isEqualTo(20_000);
    assertThat(answer.getInteger("max_payment_term")).isEqualTo(30);
    assertThat(answer.getJsonObject("requested"))
        .isEqualTo(new JsonObject().put("amount", 50_000.5).put("payment_term", 60));
    assertThat(answer.getString("model_version")).isEqualTo("1.1.0");
    assertThat(answer.getString("policy_version")).isEqualTo("policy-2026.11");
    assertThat(answer.getString("data_as_of")).isEqualTo("2025-12-31");
    assertThat(answer.getString("scored_at")).isEqualTo("2026-11-25T09:00:00Z");
    assertThat(answer.getString("evaluated_at")).isEqualTo("2026-11-25T10:00:00.123456Z");
    assertThat(answer.fieldNames()).doesNotContain("tenant_id", "request_id", "features", "events");
  }

  @Test
  void reasonsComeRulesFirstThenThePolicyThenTheModel() {
    JsonArray reasons = new JsonObject(write().answer()).getJsonArray("reasons");
    assertThat(reasons.stream().map(r -> ((JsonObject) r).getString("code")))
        .containsExactly("PAYMENT_INCIDENTS", "AMOUNT_ABOVE_LIMIT", "LOW_LIQUIDITY");
    assertThat(reasons.getJsonObject(2))
        .isEqualTo(
            new JsonObject()
                .put("code", "LOW_LIQUIDITY")
                .put("feature", "x4")
                .put("value", 0.12)
                .put("contribution", 0.8123)
                .put("text", "Low liquidity.")
                .put("text_fr", "Liquidité."));
  }

  @Test
  void theJournaledDecisionReadsBackAsTheAnswerPlusWhoAskedAndTheDataUsed() {
    DecisionJson json = write();
    JournalEntry entry =
        new JournalEntry(
            ID,
            NOW,
            "tenant-a",
            "req \"1\"",
            "FR",
            "000000018",
            "1.1.0",
            "policy-2026.11",
            ENCODED.record().hash(),
            ENCODED.assessment().evaluatedAt(),
            REQUEST.amount(),
            REQUEST.paymentTerm(),
            "manual_review",
            20_000,
            30,
            List.of(DecisionPolicy.AMOUNT_ABOVE_LIMIT),
            null,
            null,
            5_000_000.0);
    JsonObject assessment =
        new JsonObject(new String(ENCODED.record().body(), StandardCharsets.UTF_8));
    JsonObject record = new DecisionDocument(NO_RULE_REASON).render(entry, assessment).result();

    assertThat(record.getString("tenant_id")).isEqualTo("tenant-a");
    assertThat(record.getString("request_id")).isEqualTo("req \"1\"");
    assertThat(record.getJsonObject("features").size()).isEqualTo(Ratios.NAMES.size());
    assertThat(record.getJsonObject("features").getDouble(Ratios.NAMES.get(0))).isEqualTo(0.25);
    assertThat(record.getJsonObject("features").containsKey(Ratios.NAMES.get(3))).isTrue();
    assertThat(record.getJsonObject("features").getValue(Ratios.NAMES.get(3))).isNull();
    assertThat(record.getJsonObject("events").getInteger("max_days_late")).isEqualTo(95);
    JsonObject answerPart = record.copy();
    answerPart.remove("tenant_id");
    answerPart.remove("request_id");
    answerPart.remove("features");
    answerPart.remove("events");
    // The same members in the same order, byte for byte: what the caller was answered.
    assertThat(answerPart.encode()).isEqualTo(json.answer().toString(StandardCharsets.UTF_8));
  }

  @Test
  void aTenantRulesOwnReasonReadsBackWithTheTextsOfTheVersionThatDecided() {
    PolicyRule.Reason own =
        new PolicyRule.Reason("SMALL_TICKET", "Good score and a small amount.", "Bon score.");
    PolicyRule.Reason guardrail = Guardrails.fixedReason("GUARDRAIL_OPEN_PROCEEDING");
    PolicyRule.Reason cap = Guardrails.amountCap(2_500_000);
    DecisionPolicy.Outcome outcome =
        new DecisionPolicy.Outcome(
            Recommendation.MANUAL_REVIEW,
            20_000,
            30,
            List.of(
                ScoreReason.rule(own.code(), own.text(), own.textFr()),
                ScoreReason.rule(guardrail.code(), guardrail.text(), guardrail.textFr()),
                ScoreReason.rule(cap.code(), cap.text(), cap.textFr()),
                new ReasonTexts()
                    .limit(DecisionPolicy.AMOUNT_ABOVE_LIMIT, 50_000.5, 20_000, 60, 30)));
    DecisionJson json =
        DecisionJson.write(
            ID, NOW, REQUEST, ENCODED, outcome, "acme-2026-11-25.2", "small_tickets");
    JournalEntry entry =
        new JournalEntry(
            ID,
            NOW,
            "acme",
            "req-2",
            "FR",
            "000000018",
            "1.1.0",
            "acme-2026-11-25.2",
            ENCODED.record().hash(),
            ENCODED.assessment().evaluatedAt(),
            REQUEST.amount(),
            REQUEST.paymentTerm(),
            "manual_review",
            20_000,
            30,
            List.of(own.code(), guardrail.code(), cap.code(), DecisionPolicy.AMOUNT_ABOVE_LIMIT),
            "small_tickets",
            null,
            2_500_000.0);
    JsonObject assessment =
        new JsonObject(new String(ENCODED.record().body(), StandardCharsets.UTF_8));
    List<String> asked = new java.util.ArrayList<>();
    DecisionDocument.RuleReasons versions =
        (tenant, version, rule) -> {
          asked.add(tenant + "/" + version + "/" + rule);
          return Future.succeededFuture(own);
        };

    JsonObject record = new DecisionDocument(versions).render(entry, assessment).result();

    assertThat(asked).containsExactly("acme/acme-2026-11-25.2/small_tickets");
    for (String member : List.of("tenant_id", "request_id", "features", "events")) {
      record.remove(member);
    }
    assertThat(record.encode()).isEqualTo(json.answer().toString(StandardCharsets.UTF_8));
    // Without the version's texts, the code alone: never another text.
    JsonObject codeOnly = new DecisionDocument(NO_RULE_REASON).render(entry, assessment).result();
    assertThat(codeOnly.getJsonArray("reasons").getJsonObject(1))
        .isEqualTo(new JsonObject().put("code", "SMALL_TICKET"));
  }

  @Test
  void anAssessmentHasOneCanonicalFormAndItsHash() throws Exception {
    EncodedAssessment again = new EncodedAssessment(assessment(), SCALE);
    assertThat(again.record().body()).isEqualTo(ENCODED.record().body());
    assertThat(again.record().hash())
        .isEqualTo(
            java.security.MessageDigest.getInstance("SHA-256").digest(ENCODED.record().body()));
    JsonObject body = new JsonObject(new String(ENCODED.record().body(), StandardCharsets.UTF_8));
    assertThat(List.copyOf(body.fieldNames()))
        .isEqualTo(io.scoregate.audit.AssessmentRecord.MEMBERS);
    assertThat(body.getString("grade")).isEqualTo("G6");
    assertThat(body.getJsonArray("model_reasons").getJsonObject(0).getString("code"))
        .isEqualTo("LOW_LIQUIDITY");
    assertThat(body.getJsonArray("rule_reasons").getJsonObject(0).getString("code"))
        .isEqualTo("PAYMENT_INCIDENTS");
    // Another evaluation time, same data: the same assessment (the time is the decision's).
    Assessment a = assessment();
    Assessment later =
        new Assessment(
            a.key(),
            a.companyName(),
            a.score(),
            a.pd(),
            a.riskLevel(),
            a.reasons(),
            a.features(),
            a.modelVersion(),
            a.dataAsOf(),
            a.evaluatedAt().plusSeconds(3600),
            a.refuse(),
            a.monthlySales(),
            a.equity(),
            a.events(),
            a.profile());
    assertThat(new EncodedAssessment(later, SCALE).record().hash())
        .isEqualTo(ENCODED.record().hash());
  }

  @Test
  void anUnscoredCompanyAnswersNullScoreAndPd() {
    Assessment a = assessment();
    Assessment unscored =
        new Assessment(
            a.key(),
            a.companyName(),
            null,
            null,
            "very_high",
            List.of(),
            new double[0],
            "override",
            null,
            a.evaluatedAt(),
            true,
            Double.NaN,
            Double.NaN,
            EventSummary.NONE,
            CompanyProfile.UNKNOWN);
    DecisionJson json =
        DecisionJson.write(
            ID,
            NOW,
            new ScoringRequest(a.key(), null, 1000, 30),
            new EncodedAssessment(unscored, SCALE),
            new DecisionPolicy.Outcome(Recommendation.REFUSE, 0, 0, List.of()),
            "p");
    JsonObject answer = new JsonObject(json.answer());
    assertThat(answer.containsKey("score")).isTrue();
    assertThat(answer.getValue("score")).isNull();
    assertThat(answer.getValue("pd")).isNull();
    assertThat(answer.getValue("data_as_of")).isNull();
    assertThat(answer.getJsonArray("reasons")).isEmpty();
  }

  /**
   * The answer written from the assessment's encoded runs is, byte for byte, what a JSON generator
   * writes member by member (the way it was written before), whatever the strings hold (quotes,
   * control characters, accents, characters beyond the BMP), the numbers, and the reasons there
   * are.
   */
  @Test
  void theAnswerIsByteForByteWhatAGeneratorWritesMemberByMember() throws Exception {
    Assessment a = assessment();
    String[] names = {
      "Société \"Test\" SAS",
      "Tab\there, new\nline \u0001 \\ / \u007f",
      "Emoji \uD83D\uDE00 €",
      "Plain"
    };
    String[] versions = {"policy-2026.11", "acme \"v2\" é", "p\u0000x"};
    double[] amounts = {50_000.5, 1e7, 1.0e-5, 123_456_789.0, 0.1 + 0.2, 30};
    List<List<ScoreReason>> policyReasons =
        List.of(
            List.of(),
            List.of(ScoreReason.rule("SMALL_TICKET", "Good \"score\".", "Bon score.")),
            List.of(
                ScoreReason.rule("A", "a", null),
                ScoreReason.rule("B", null, "b é"),
                new ScoreReason("C", "x1", 0.5, -0.123456789, "c", "c")));
    List<List<ScoreReason>> assessmentReasons =
        List.of(
            a.reasons(),
            List.of(),
            List.of(a.reasons().get(0)),
            List.of(a.reasons().get(1)),
            List.of(
                a.reasons().get(1),
                a.reasons().get(0),
                new ScoreReason("Z", "x9", -1e-9, 12.34567, "z \u00e9", "z")));
    int cases = 0;
    for (String name : names) {
      for (List<ScoreReason> reasons : assessmentReasons) {
        for (int unscored = 0; unscored < 2; unscored++) {
          Assessment variant =
              new Assessment(
                  a.key(),
                  name,
                  unscored == 1 ? null : 41,
                  unscored == 1 ? null : 1.0 / 3,
                  unscored == 1 ? null : "high",
                  reasons,
                  a.features(),
                  unscored == 1 ? "override" : "1.1.0",
                  unscored == 1 ? null : a.dataAsOf(),
                  Instant.parse("2026-11-25T09:00:00.000001Z"),
                  false,
                  a.monthlySales(),
                  a.equity(),
                  a.events(),
                  a.profile());
          EncodedAssessment encoded = new EncodedAssessment(variant, SCALE);
          for (String version : versions) {
            for (double amount : amounts) {
              for (List<ScoreReason> policy : policyReasons) {
                for (String rule : new String[] {null, "small \"tickets\""}) {
                  ScoringRequest request = new ScoringRequest(a.key(), null, amount, 45);
                  DecisionPolicy.Outcome outcome =
                      new DecisionPolicy.Outcome(
                          Recommendation.ACCEPT_WITH_MONITORING, 9_007_199_254_740_993L, 7, policy);
                  byte[] written =
                      DecisionJson.write(ID, NOW, request, encoded, outcome, version, rule)
                          .answer()
                          .getBytes();
                  assertThat(new String(written, StandardCharsets.UTF_8))
                      .isEqualTo(
                          new String(
                              memberByMember(ID, NOW, request, variant, outcome, version, rule),
                              StandardCharsets.UTF_8));
                  assertThat(written)
                      .isEqualTo(memberByMember(ID, NOW, request, variant, outcome, version, rule));
                  cases++;
                }
              }
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(4 * 5 * 2 * 3 * 6 * 3 * 2);
  }

  /** The answer as a JSON generator writes it, one member after the other. */
  private static byte[] memberByMember(
      UUID decisionId,
      Instant evaluatedAt,
      ScoringRequest request,
      Assessment a,
      DecisionPolicy.Outcome outcome,
      String policyVersion,
      String policyRule)
      throws Exception {
    ByteArrayBuilder out = new ByteArrayBuilder(2048);
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("decision_id", decisionId.toString());
      g.writeFieldName("company");
      g.writeRawValue(EncodedAssessment.raw(EncodedAssessment.company(a)));
      g.writeFieldName("score");
      if (a.score() == null) {
        g.writeNull();
      } else {
        g.writeNumber(a.score());
      }
      g.writeStringField("risk_level", a.riskLevel());
      g.writeFieldName("pd");
      if (a.pd() == null) {
        g.writeNull();
      } else {
        g.writeNumber(a.pd());
      }
      g.writeStringField("recommendation", outcome.recommendation().wire());
      g.writeNumberField("max_amount", outcome.maxAmount());
      g.writeNumberField("max_payment_term", outcome.maxPaymentTerm());
      g.writeStringField("currency", "EUR");
      g.writeObjectFieldStart("requested");
      g.writeNumberField("amount", request.amount());
      g.writeNumberField("payment_term", request.paymentTerm());
      g.writeEndObject();
      g.writeArrayFieldStart("reasons");
      for (ScoreReason r : a.reasons()) {
        if (r.isRule()) {
          g.writeRawValue(EncodedAssessment.raw(EncodedAssessment.reason(r)));
        }
      }
      for (ScoreReason r : outcome.reasons()) {
        g.writeRawValue(EncodedAssessment.raw(EncodedAssessment.reason(r)));
      }
      for (ScoreReason r : a.reasons()) {
        if (!r.isRule()) {
          g.writeRawValue(EncodedAssessment.raw(EncodedAssessment.reason(r)));
        }
      }
      g.writeEndArray();
      g.writeStringField("model_version", a.modelVersion());
      g.writeStringField("policy_version", policyVersion);
      if (policyRule != null) {
        g.writeStringField("policy_rule", policyRule);
      }
      g.writeStringField("data_as_of", a.dataAsOf() == null ? null : a.dataAsOf().toString());
      g.writeStringField("scored_at", a.evaluatedAt().toString());
      g.writeStringField("evaluated_at", evaluatedAt.toString());
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
