package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.app.ConfigLoader;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyProfile;
import io.scoregate.company.CompanySnapshot;
import io.scoregate.company.EventSummary;
import io.scoregate.company.StatementLines;
import io.scoregate.model.ModelOutput;
import io.scoregate.model.Prediction;
import io.scoregate.model.Reason;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on their own: a snapshot and a model output in, an assessment out. */
class AssessmentRulesTest {

  private static final PolicyConfig POLICY =
      ConfigLoader.load(Path.of("config/application.yaml"), Map.of()).policy();
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final CompanyKey KEY = new CompanyKey("FR", "000000018");

  private final AssessmentRules rules = new AssessmentRules(POLICY, new ReasonTexts());
  private final MasterScale scale = new MasterScale(POLICY);

  private static StatementLines statement(double sales, double equity) {
    return new StatementLines(
        2025, 1_000_000, 400_000, 600_000, 100_000, 200_000, 50_000, 10_000, equity, 100_000,
        200_000, 550_000, 300_000, 250_000, sales, 1_400_000, 1_700_000, 1_750_000, 120_000, 90_000,
        20_000, 15_000, 5_000, 400_000, 95_000, 40_000, 70_000);
  }

  private static CompanySnapshot snapshot(
      String status, List<StatementLines> statements, EventSummary events) {
    return new CompanySnapshot(
        7,
        KEY,
        "Rules SAS",
        status,
        statements,
        LocalDate.of(2025, 12, 31),
        events,
        CompanyProfile.UNKNOWN,
        null);
  }

  private static ModelOutput output(double pd) {
    return new ModelOutput(
        "1.1.0",
        new Prediction(pd, 0, 0, new double[0]),
        List.of(new Reason("LOW_LIQUIDITY", "Attr4", 0.12, 0.8, "Low liquidity.", "Liquidité.")),
        null,
        null);
  }

  private Assessment withModel(EventSummary events, double pd) {
    CompanySnapshot s = snapshot("active", List.of(statement(1_200_000, 450_000)), events);
    assertThat(AssessmentRules.needsModel(s)).isTrue();
    return rules.assess(s, new double[] {0.5}, output(pd), NOW);
  }

  @Test
  void aHealthyCompanyGetsTheModelsScoreOnTheMasterScale() {
    Assessment a = withModel(EventSummary.NONE, 0.004);
    assertThat(a.score()).isEqualTo(scale.score(0.004));
    assertThat(a.pd()).isEqualTo(0.004);
    assertThat(a.riskLevel()).isEqualTo(scale.level(scale.levelIndex(a.score())).name());
    assertThat(a.refuse()).isFalse();
    assertThat(a.reasons()).extracting(ScoreReason::code).containsExactly("LOW_LIQUIDITY");
    assertThat(a.modelVersion()).isEqualTo("1.1.0");
    assertThat(a.monthlySales()).isEqualTo(100_000);
    assertThat(a.equity()).isEqualTo(450_000);
    assertThat(a.evaluatedAt()).isEqualTo(NOW);
  }

  @Test
  void anOpenProceedingPutsTheCompanyInTheWorstBandAndRefuses() {
    Assessment a =
        withModel(new EventSummary("sauvegarde", LocalDate.of(2026, 1, 5), 0, 0, 0), 0.004);
    int worst = scale.levelCount() - 1;
    assertThat(a.riskLevel()).isEqualTo(scale.level(worst).name());
    assertThat(a.score()).isLessThanOrEqualTo(scale.maxScoreOf(worst));
    assertThat(a.refuse()).isTrue();
    assertThat(a.reasons().get(0).code()).isEqualTo("INSOLVENCY_SAUVEGARDE");
    assertThat(a.reasons().get(0).text()).contains("since 2026-01-05");
  }

  @Test
  void recentIncidentsLowerTheLevelByTheConfiguredNotches() {
    Assessment clean = withModel(EventSummary.NONE, 0.004);
    Assessment a = withModel(new EventSummary(null, null, 2, 3000, 70), 0.004);
    int expected =
        Math.min(
            scale.levelCount() - 1, scale.levelIndex(clean.score()) + POLICY.incidentNotches());
    assertThat(a.riskLevel()).isEqualTo(scale.level(expected).name());
    assertThat(a.score()).isLessThanOrEqualTo(scale.maxScoreOf(expected));
    assertThat(a.refuse()).isFalse();
    assertThat(a.reasons().get(0).code())
        .isEqualTo("PAYMENT_INCIDENTS_" + POLICY.incidentLookbackMonths() + "M");
    assertThat(a.reasons().get(0).value()).isEqualTo(2.0);
  }

  @Test
  void liquidationAndCeasedDecideWithoutTheModel() {
    CompanySnapshot liquidation =
        snapshot(
            "active",
            List.of(statement(1_200_000, 450_000)),
            new EventSummary("liquidation_judiciaire", null, 0, 0, 0));
    CompanySnapshot ceased = snapshot("ceased", List.of(), EventSummary.NONE);
    for (CompanySnapshot s : List.of(liquidation, ceased)) {
      assertThat(AssessmentRules.needsModel(s)).isFalse();
      Assessment a = rules.assess(s, null, null, NOW);
      assertThat(a.score()).isZero();
      assertThat(a.pd()).isEqualTo(1.0);
      assertThat(a.refuse()).isTrue();
      assertThat(a.modelVersion()).isEqualTo("override");
      assertThat(a.riskLevel()).isEqualTo(scale.level(scale.levelCount() - 1).name());
    }
    assertThat(rules.assess(liquidation, null, null, NOW).reasons())
        .extracting(ScoreReason::code)
        .containsExactly("INSOLVENCY_LIQUIDATION_JUDICIAIRE");
    assertThat(rules.assess(ceased, null, null, NOW).reasons())
        .extracting(ScoreReason::code)
        .containsExactly("COMPANY_CEASED");
  }

  @Test
  void withoutStatementsThereIsNoScoreAndTheFactsAreStillReasons() {
    CompanySnapshot s =
        snapshot(
            "active",
            List.of(),
            new EventSummary("redressement_judiciaire", LocalDate.of(2026, 2, 1), 1, 500, 30));
    assertThat(AssessmentRules.needsModel(s)).isFalse();
    Assessment a = rules.assess(s, null, null, NOW);
    assertThat(a.insufficientData()).isTrue();
    assertThat(a.refuse()).isTrue();
    assertThat(a.reasons())
        .extracting(ScoreReason::code)
        .containsExactly(
            "INSOLVENCY_REDRESSEMENT_JUDICIAIRE",
            "INSUFFICIENT_DATA",
            "PAYMENT_INCIDENTS_" + POLICY.incidentLookbackMonths() + "M");
    assertThat(Double.isNaN(a.monthlySales())).isTrue();
  }
}
