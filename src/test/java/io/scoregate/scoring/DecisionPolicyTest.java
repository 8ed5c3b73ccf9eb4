package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.app.ConfigLoader;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.EventSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {

  private static final PolicyConfig POLICY =
      ConfigLoader.load(Path.of("config/application.yaml"), Map.of()).policy();
  private final DecisionPolicy policy = new DecisionPolicy(POLICY);

  private static Assessment assessment(
      Integer score, String level, double monthlySales, double equity, boolean refuse) {
    return new Assessment(
        new CompanyKey("FR", "000000018"),
        "Test SAS",
        score,
        score == null ? null : 0.01,
        level,
        List.of(),
        new double[0],
        "1.0.0",
        LocalDate.of(2025, 12, 31),
        Instant.EPOCH,
        refuse,
        monthlySales,
        equity,
        EventSummary.NONE);
  }

  @Test
  void eachLevelGivesItsRecommendationAndTerm() {
    assertThat(policy.decide(assessment(80, "low", 100_000, 1e6, false), 1000, 30).recommendation())
        .isEqualTo(Recommendation.ACCEPT);
    assertThat(
            policy.decide(assessment(60, "medium", 100_000, 1e6, false), 1000, 30).recommendation())
        .isEqualTo(Recommendation.ACCEPT_WITH_MONITORING);
    assertThat(
            policy.decide(assessment(40, "high", 100_000, 1e6, false), 1000, 30).recommendation())
        .isEqualTo(Recommendation.MANUAL_REVIEW);
    DecisionPolicy.Outcome refused =
        policy.decide(assessment(10, "very_high", 100_000, 1e6, false), 1000, 0);
    assertThat(refused.recommendation()).isEqualTo(Recommendation.REFUSE);
    assertThat(refused.maxAmount()).isZero();
    assertThat(refused.maxPaymentTerm()).isZero();
  }

  @Test
  void theLimitIsAShareOfMonthlySalesRoundedDownAndCapped() {
    // low: 100 % of monthly sales; 123,456.78 rounds down to 123,000.
    assertThat(policy.decide(assessment(80, "low", 123_456.78, 1e6, false), 1000, 30).maxAmount())
        .isEqualTo(123_000);
    // medium: 50 %.
    assertThat(policy.decide(assessment(60, "medium", 100_000, 1e6, false), 1000, 30).maxAmount())
        .isEqualTo(50_000);
    // capped.
    assertThat(policy.decide(assessment(80, "low", 1e9, 1e6, false), 1000, 30).maxAmount())
        .isEqualTo(5_000_000);
  }

  @Test
  void withoutSalesTheLimitComesFromEquity() {
    assertThat(
            policy
                .decide(assessment(80, "low", Double.NaN, 1_000_000, false), 1000, 30)
                .maxAmount())
        .isEqualTo(200_000);
    assertThat(
            policy
                .decide(assessment(80, "low", Double.NaN, Double.NaN, false), 1000, 30)
                .maxAmount())
        .isZero();
  }

  @Test
  void overTheAmountOrTermLimitIsAtBestManualReviewWithAReason() {
    DecisionPolicy.Outcome amount =
        policy.decide(assessment(80, "low", 10_000, 1e6, false), 20_000, 30);
    assertThat(amount.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(amount.reasons())
        .extracting(ScoreReason::code)
        .containsExactly("AMOUNT_ABOVE_LIMIT");

    DecisionPolicy.Outcome term =
        policy.decide(assessment(60, "medium", 10_000, 1e6, false), 1000, 90);
    assertThat(term.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(term.reasons())
        .extracting(ScoreReason::code)
        .containsExactly("PAYMENT_TERM_ABOVE_LIMIT");
  }

  @Test
  void aRefusalIsNeverImprovedByTheLimits() {
    DecisionPolicy.Outcome outcome =
        policy.decide(assessment(25, "very_high", 10_000, 1e6, true), 1, 0);
    assertThat(outcome.recommendation()).isEqualTo(Recommendation.REFUSE);
    assertThat(outcome.reasons()).isEmpty();
  }

  @Test
  void anOverrideRefusesWhateverTheLevel() {
    assertThat(policy.decide(assessment(80, "low", 10_000, 1e6, true), 1, 0).recommendation())
        .isEqualTo(Recommendation.REFUSE);
  }

  @Test
  void insufficientDataIsManualReviewWithoutLimits() {
    DecisionPolicy.Outcome outcome =
        policy.decide(assessment(null, null, Double.NaN, Double.NaN, false), 1000, 30);
    assertThat(outcome.recommendation()).isEqualTo(Recommendation.MANUAL_REVIEW);
    assertThat(outcome.maxAmount()).isZero();
  }
}
