package io.scoregate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {

  static final PolicyLimits LIMITS =
      new PolicyLimits(5_000_000, 1000, 365, Recommendation.MANUAL_REVIEW);

  static final PolicyCompiler COMPILER = new PolicyCompiler(PolicyRulesConfig.DEFAULTS, LIMITS);

  /** A healthy, scored company asking for the given amount and term. */
  static PolicyInputs company(long score, double amount, long term) {
    return new PolicyInputs(
        true, score, 0.01, "G4", "low", amount, term, "FR", "25.62A", "11", "SAS", 12, 2_400_000,
        500_000, false, "", false, 0, 0, 0, "accept", 200_000, 90);
  }

  static CompiledPolicy compile(String json) {
    return COMPILER.compile(
        "t-2026-12-01.1", PolicyRule.parse(new JsonObject(json).getValue("rules"), 100));
  }

  static List<FieldError> errors(String json) {
    try {
      compile(json);
    } catch (ValidationException e) {
      return e.errors();
    }
    throw new AssertionError("compiled: " + json);
  }

  static final String README =
      """
      {"rules": [
        {"id": "small_tickets", "when": "score > 60 && amount < 20000", "recommendation": "accept",
         "reason": {"code": "SMALL_TICKET", "text": "Good score, small amount.",
                    "text_fr": "Bon score, petit montant."}},
        {"id": "otherwise", "when": "true", "recommendation": "manual_review"}
      ]}
      """;

  @Test
  void theReadmeExampleAcceptsAsWritten() {
    CompiledPolicy policy = compile(README);
    PolicyDecision small = policy.decide(company(75, 15_000, 30));
    assertThat(small.recommendation()).isEqualTo(Recommendation.ACCEPT);
    assertThat(small.ruleId()).isEqualTo("small_tickets");
    assertThat(small.maxAmount()).isEqualTo(15_000);
    assertThat(small.reasons()).extracting(PolicyRule.Reason::code).containsExactly("SMALL_TICKET");
    PolicyDecision big = policy.decide(company(75, 25_000, 30));
    assertThat(big.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(big.ruleId()).isEqualTo("otherwise");
    assertThat(policy.decide(company(55, 15_000, 30)).ruleId()).isEqualTo("otherwise");
  }

  @Test
  void theReadmesExampleAsPrintedThereAcceptsSmallTicketsOnGoodScores() throws Exception {
    // The policy the README's curl submits, read from the README itself.
    String readme = Files.readString(Path.of("README.md"));
    Matcher example =
        Pattern.compile("-d '(\\{\"rules\": \\[.*?\\]\\})'", Pattern.DOTALL).matcher(readme);
    assertThat(example.find()).as("the README's policy example").isTrue();
    assertThat(example.group(1)).contains("score > 60 && amount < 20000");
    CompiledPolicy policy = compile(example.group(1));
    PolicyDecision small = policy.decide(company(75, 15_000, 30));
    assertThat(small.recommendation()).isEqualTo(Recommendation.ACCEPT);
    assertThat(small.ruleId()).isEqualTo("small_tickets");
    assertThat(policy.decide(company(75, 25_000, 30)).recommendation())
        .isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(policy.decide(company(60, 15_000, 30)).ruleId()).isEqualTo("otherwise");
  }

  @Test
  void formulasGiveTheLimitsAndFirstMatchWins() {
    CompiledPolicy policy =
        compile(
            """
            {"rules": [
              {"id": "a", "when": "risk_level == 'low' && sector.startsWith('25')",
               "recommendation": "accept", "max_amount": "math.least(sales / 12.0, 150000.0)",
               "max_payment_term": "payment_term > 60 ? 60 : payment_term"},
              {"id": "b", "when": "risk_level == 'low'", "recommendation": "refuse"},
              {"id": "c", "when": "true", "recommendation": "refuse"}
            ]}
            """);
    PolicyDecision d = policy.decide(company(80, 100_000, 45));
    assertThat(d.ruleId()).isEqualTo("a");
    assertThat(d.maxAmount()).isEqualTo(150_000);
    assertThat(d.maxPaymentTerm()).isEqualTo(45);
    // Asking more than the formula grants: at best the over-limit recommendation.
    PolicyDecision over = policy.decide(company(80, 180_000, 45));
    assertThat(over.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(over.reasons()).extracting(PolicyRule.Reason::code).contains("AMOUNT_ABOVE_LIMIT");
  }

  @Test
  void anUnknownVariableIsNamedWithItsRuleAndPosition() {
    List<FieldError> errors =
        errors(
            """
            {"rules": [
              {"id": "r1", "when": "score > 60 && turnover < 5", "recommendation": "accept"},
              {"id": "r2", "when": "true", "recommendation": "refuse"}
            ]}
            """);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).field()).isEqualTo("rules[0].when");
    assertThat(errors.get(0).message())
        .contains("rule r1")
        .contains("line 1, column 15")
        .contains("turnover");
  }

  @Test
  void aTypeErrorIsNamedWithItsRuleAndPosition() {
    List<FieldError> errors =
        errors(
            """
            {"rules": [
              {"id": "ok", "when": "score > 60", "recommendation": "accept"},
              {"id": "bad", "when": "country > 3", "recommendation": "accept",
               "max_amount": "sales * 2"},
              {"id": "last", "when": "true", "recommendation": "refuse"}
            ]}
            """);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("rules[1].when", "rules[1].max_amount");
    assertThat(errors.get(0).message()).contains("rule bad").contains("line 1, column 9");
    assertThat(errors.get(1).message()).contains("rule bad").contains("column");
  }

  @Test
  void aConditionMustBeABoolAndAFormulaANumber() {
    assertThat(
            errors(
                """
                {"rules": [{"id": "x", "when": "score", "recommendation": "accept"},
                           {"id": "y", "when": "true", "recommendation": "refuse",
                            "max_amount": "'a lot'"}]}
                """))
        .extracting(FieldError::field)
        .containsExactly("rules[0].when", "rules[1].max_amount");
  }

  @Test
  void aPolicyMustEndWithACatchAll() {
    List<FieldError> errors =
        errors(
            """
            {"rules": [{"id": "only", "when": "score > 60", "recommendation": "accept"}]}
            """);
    assertThat(errors).extracting(FieldError::code).containsExactly("catch_all_missing");
    assertThat(errors.get(0).message()).contains("rule only");
  }

  @Test
  void anExpressionOverTheCostLimitIsRefusedWhereItCosts() {
    PolicyCompiler strict =
        new PolicyCompiler(new PolicyRulesConfig(50, 100, 2000, 100, 1000, 1000, 3), LIMITS);
    String rules = sectorRules(30);
    assertThatThrownBy(() -> strict.compile("v", PolicyRule.parse(new JsonArray(rules), 100)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.errors()).hasSize(1);
              assertThat(e.errors().get(0).code()).isEqualTo("cost_limit");
              assertThat(e.errors().get(0).field()).isEqualTo("rules[0].when");
              assertThat(e.errors().get(0).message())
                  .contains("rule costly")
                  .contains("policyRules.costLimit")
                  .contains("column");
            });
    // A shorter list fits the default limit; the long one does not.
    assertThat(COMPILER.compile("v", PolicyRule.parse(new JsonArray(sectorRules(10)), 100)).rules())
        .hasSize(2);
    assertThatThrownBy(() -> COMPILER.compile("v", PolicyRule.parse(new JsonArray(rules), 100)))
        .isInstanceOf(ValidationException.class);
  }

  private static String sectorRules(int sectors) {
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < sectors; i++) {
      list.append(i == 0 ? "" : ", ").append('\'').append(i).append('\'');
    }
    list.append(']');
    return new JsonArray()
        .add(
            new JsonObject()
                .put("id", "costly")
                .put("when", "score > 10 && " + list + ".exists(s, sector.matches(s))")
                .put("recommendation", "accept"))
        .add(new JsonObject().put("id", "z").put("when", "true").put("recommendation", "refuse"))
        .encode();
  }

  static final String ACCEPT_ALL =
      """
      {"rules": [{"id": "yes", "when": "true", "recommendation": "accept",
                  "max_amount": "1.0e12"}]}
      """;

  static PolicyInputs withEvents(boolean proceeding, String kind, boolean ceased) {
    PolicyInputs c = company(90, 10_000, 30);
    return new PolicyInputs(
        true,
        90,
        0.01,
        "G4",
        "low",
        10_000,
        30,
        "FR",
        "",
        "",
        "",
        5,
        1_000_000,
        100_000,
        proceeding,
        kind,
        ceased,
        0,
        0,
        0,
        c.defaultRecommendation(),
        100_000,
        90);
  }

  @Test
  void guardrailLiquidationIsAlwaysRefused() {
    PolicyDecision d =
        compile(ACCEPT_ALL).decide(withEvents(true, "liquidation_judiciaire", false));
    assertThat(d.recommendation()).isEqualTo(Recommendation.REFUSE);
    assertThat(d.maxAmount()).isZero();
    assertThat(d.reasons()).extracting(PolicyRule.Reason::code).contains("GUARDRAIL_LIQUIDATION");
  }

  @Test
  void guardrailAnOpenProceedingIsNeverAccepted() {
    for (String kind : List.of("sauvegarde", "redressement_judiciaire")) {
      PolicyDecision d = compile(ACCEPT_ALL).decide(withEvents(true, kind, false));
      assertThat(d.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
      assertThat(d.reasons())
          .extracting(PolicyRule.Reason::code)
          .contains("GUARDRAIL_OPEN_PROCEEDING");
    }
  }

  @Test
  void guardrailACeasedCompanyIsRefused() {
    PolicyDecision d = compile(ACCEPT_ALL).decide(withEvents(false, "", true));
    assertThat(d.recommendation()).isEqualTo(Recommendation.REFUSE);
    assertThat(d.reasons())
        .extracting(PolicyRule.Reason::code)
        .contains("GUARDRAIL_COMPANY_CEASED");
  }

  @Test
  void guardrailNoLimitAboveThePlatformCap() {
    PolicyDecision d = compile(ACCEPT_ALL).decide(company(90, 10_000, 30));
    assertThat(d.maxAmount()).isEqualTo(5_000_000);
    assertThat(d.reasons()).extracting(PolicyRule.Reason::code).contains("GUARDRAIL_AMOUNT_CAP");
    assertThat(d.recommendation()).isEqualTo(Recommendation.ACCEPT);
    // Asking above the cap is above every limit: never an accept.
    PolicyDecision above = compile(ACCEPT_ALL).decide(company(90, 6_000_000, 30));
    assertThat(above.maxAmount()).isEqualTo(5_000_000);
    assertThat(above.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
  }

  @Test
  void guardrailNoPaymentTermAboveThePlatformMaximum() {
    CompiledPolicy policy =
        compile(
            """
            {"rules": [{"id": "long", "when": "true", "recommendation": "accept",
                        "max_payment_term": "1000"}]}
            """);
    PolicyDecision d = policy.decide(company(90, 10_000, 30));
    assertThat(d.maxPaymentTerm()).isEqualTo(365);
    assertThat(d.recommendation()).isEqualTo(Recommendation.ACCEPT);
    // Asking a longer term than the platform allows is above the limit: never an accept.
    PolicyDecision longer = policy.decide(company(90, 10_000, 400));
    assertThat(longer.maxPaymentTerm()).isEqualTo(365);
    assertThat(longer.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(longer.reasons())
        .extracting(PolicyRule.Reason::code)
        .contains("PAYMENT_TERM_ABOVE_LIMIT");
  }

  @Test
  void guardrailARefusalGrantsNothing() {
    PolicyDecision d =
        compile(
                """
                {"rules": [{"id": "no", "when": "true", "recommendation": "refuse",
                            "max_amount": "50000", "max_payment_term": "60"}]}
                """)
            .decide(company(90, 10_000, 30));
    assertThat(d.recommendation()).isEqualTo(Recommendation.REFUSE);
    assertThat(d.maxAmount()).isZero();
    assertThat(d.maxPaymentTerm()).isZero();
  }

  @Test
  void guardrailARequestAboveTheRulesLimitIsAtBestTheOverLimitRecommendation() {
    PolicyDecision d =
        compile(
                """
                {"rules": [{"id": "some", "when": "true", "recommendation": "accept",
                            "max_amount": "10999", "max_payment_term": "60"}]}
                """)
            .decide(company(90, 15_000, 30));
    assertThat(d.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(d.maxAmount()).isEqualTo(10_000); // rounded down to policy.amountRounding
    assertThat(d.reasons()).extracting(PolicyRule.Reason::code).contains("AMOUNT_ABOVE_LIMIT");
  }

  @Test
  void aConditionThatFailsToEvaluateDoesNotMatch() {
    CompiledPolicy policy =
        compile(
            """
            {"rules": [{"id": "div", "when": "100 / (score - 75) > 1", "recommendation": "accept"},
                       {"id": "end", "when": "true", "recommendation": "refuse"}]}
            """);
    assertThat(policy.decide(company(75, 1000, 10)).ruleId()).isEqualTo("end");
  }

  @Test
  void theFirstRuleThatHoldsDecidesWhateverFailsToEvaluateBeforeOrAfterIt() {
    // A policy is evaluated in one program over all its conditions; where one fails, rule by rule.
    CompiledPolicy policy =
        compile(
            """
            {"rules": [{"id": "div", "when": "100 / (score - 75) > 1", "recommendation": "accept"},
                       {"id": "low", "when": "score < 50 // a comment", "recommendation": "refuse"},
                       {"id": "after", "when": "100 / (score - 60) > 1",
                        "recommendation": "manual_review"},
                       {"id": "end", "when": "true", "recommendation": "accept_with_monitoring"}]}
            """);
    assertThat(policy.inOneProgram()).isTrue();
    assertThat(policy.decide(company(75, 1000, 10)).ruleId()).isEqualTo("after");
    assertThat(policy.decide(company(60, 1000, 10)).ruleId()).isEqualTo("end");
    assertThat(policy.decide(company(40, 1000, 10)).ruleId()).isEqualTo("low");
    assertThat(policy.decide(company(76, 1000, 10)).ruleId()).isEqualTo("div");
    assertThat(policy.decide(company(55, 1000, 10)).ruleId()).isEqualTo("end");
  }

  @Test
  void exposureIsFlaggedOnlyWhenAPolicyReadsIt() {
    assertThat(compile(README).usesExposure()).isFalse();
    assertThat(
            compile(
                    """
                    {"rules": [{"id": "e", "when": "exposure + amount < 100000",
                                "recommendation": "accept"},
                               {"id": "z", "when": "true", "recommendation": "refuse"}]}
                    """)
                .usesExposure())
        .isTrue();
  }

  @Test
  void malformedRulesAreReportedByField() {
    assertThat(
            errors(
                """
                {"rules": [{"id": "a", "when": "true", "recommendation": "maybe",
                            "reason": {"code": "ok_lower", "text": "x"}}]}
                """))
        .extracting(FieldError::field)
        .containsExactly(
            "rules[0].recommendation", "rules[0].reason.code", "rules[0].reason.text_fr");
  }
}
