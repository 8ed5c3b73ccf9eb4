package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelTest {

  static final Path DATA =
      Path.of(
          System.getProperty("scoregate.shared.dir", "../shared"),
          "data",
          "polish-5year-train.csv");
  private static final ScoringModel SHIPPED =
      ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE);

  /** A quick model: few rounds, so the test stays short. */
  private static final ModelTrainer.Params QUICK =
      new ModelTrainer.Params(40, 0.1, 3, 0.8, 0.8, 1, 1, 7);

  @Test
  void theShippedModelMeetsItsCrossValidatedTarget() {
    var metrics = SHIPPED.metadata().get("metrics");
    assertThat(metrics.get("auc_mean").asDouble()).isGreaterThanOrEqualTo(0.88);
    assertThat(SHIPPED.featureNames()).hasSize(64);
    assertThat(SHIPPED.metadata().at("/training/rows").asInt()).isEqualTo(4137);
  }

  @Test
  void theShippedModelRanksTheTrainingFileAsItsMetadataSays() throws Exception {
    TrainingData data = TrainingData.read(DATA);
    double[] pd = Arrays.stream(data.rows()).mapToDouble(SHIPPED::pd).toArray();
    // In-sample AUC is above the cross-validated one, and the mean PD near the default rate.
    assertThat(Metrics.auc(pd, data.labels())).isGreaterThan(0.95);
    assertThat(Arrays.stream(pd).average().orElseThrow()).isCloseTo(0.069, within(0.02));
  }

  @Test
  void sameDataAndSeedGiveTheSameArtifact(@TempDir Path dir) throws Exception {
    TrainingData data = TrainingData.read(DATA);
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    ModelTrainer.Trained a =
        new ModelTrainer(clock).train(data, DATA, QUICK, 3, "t1", dir.resolve("a"), null);
    ModelTrainer.Trained b =
        new ModelTrainer(clock).train(data, DATA, QUICK, 3, "t1", dir.resolve("b"), null);
    assertThat(Files.readString(a.artifact())).isEqualTo(Files.readString(b.artifact()));
    assertThat(Files.readString(a.reportJson())).isEqualTo(Files.readString(b.reportJson()));
    ObjectNode artifact = (ObjectNode) new ObjectMapper().readTree(a.artifact().toFile());
    assertThat(artifact.get("trees")).hasSize(40);
  }

  @Test
  void theJavaEvaluatorGivesXgboostsMarginsAndTheArtifactLoads(@TempDir Path dir) throws Exception {
    // train() refuses to write an artifact whose trees differ from XGBoost's predictions.
    TrainingData data = TrainingData.read(DATA);
    // The first 400 rows stand for a scoring population, for the stability section.
    double[][] population = Arrays.copyOf(data.rows(), 400);
    ModelTrainer.Trained trained =
        new ModelTrainer(Clock.systemUTC()).train(data, DATA, QUICK, 3, "t2", dir, population);
    ScoringModel model = ScoringModel.fromPath(trained.artifact());
    assertThat(model.version()).isEqualTo("t2");
    assertThat(model.metadata().at("/metrics/auc_mean").asDouble()).isGreaterThan(0.85);

    // The validation report is written beside it, for machines and for people.
    JsonNode report = new ObjectMapper().readTree(trained.reportJson().toFile());
    JsonNode perf = report.get("performance");
    assertThat(perf.get("auc_ci95_low").asDouble())
        .isLessThan(perf.get("auc").asDouble())
        .isGreaterThan(0.8);
    assertThat(perf.get("auc_ci95_high").asDouble()).isGreaterThan(perf.get("auc").asDouble());
    int companies = 0;
    for (JsonNode grade : perf.get("calibration")) {
      companies += grade.get("companies").asInt();
    }
    assertThat(companies).isEqualTo(data.size());
    assertThat(report.get("importance")).hasSize(data.featureNames().size());
    assertThat(report.at("/variables/0/definition").asText())
        .isEqualTo("net profit / total assets");
    // A sample of the training population is stable against it.
    assertThat(report.at("/stability/psi_grades").asDouble()).isLessThan(0.1);
    assertThat(Files.readString(trained.reportMarkdown()))
        .contains("## Calibration per grade")
        .contains("| G4 |")
        .contains("## Population stability")
        .contains("## Limits");
  }

  @Test
  void thePdRisesWithTheMargin() {
    Calibration c = SHIPPED.calibration();
    assertThat(c.a()).isPositive();
    double previous = 0;
    for (double m = -10; m <= 10; m += 0.5) {
      assertThat(c.pd(m)).isGreaterThan(previous);
      previous = c.pd(m);
    }
  }

  @Test
  void plattCalibrationRecoversAKnownMapping() {
    int n = 20_000;
    double[] margins = new double[n];
    int[] labels = new int[n];
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < n; i++) {
      margins[i] = random.nextGaussian() * 2;
      double p = 1 / (1 + Math.exp(-(0.5 * margins[i] - 2)));
      labels[i] = random.nextDouble() < p ? 1 : 0;
    }
    Calibration c = Calibration.fit(margins, labels);
    assertThat(c.a()).isCloseTo(0.5, within(0.08));
    assertThat(c.b()).isCloseTo(-2, within(0.1));
  }

  @Test
  void aMissingValueGetsItsOwnReason() {
    double[] x = new double[64];
    Arrays.fill(x, Double.NaN);
    Prediction p = SHIPPED.predict(x);
    List<Reason> reasons = SHIPPED.reasons(x, p, 3);
    assertThat(reasons).isNotEmpty();
    assertThat(reasons.get(0).code()).startsWith("MISSING_");
    assertThat(reasons.get(0).textEn()).contains("not available");
    assertThat(reasons.get(0).textFr()).contains("non disponible");
  }

  @Test
  void valuesAreWrittenForPeople() {
    assertThat(ScoringModel.format(0.852, "percent", java.util.Locale.ENGLISH)).isEqualTo("85.2 %");
    assertThat(ScoringModel.format(0.852, "percent", java.util.Locale.FRANCE)).isEqualTo("85,2 %");
    assertThat(ScoringModel.format(94.4, "days", java.util.Locale.ENGLISH)).isEqualTo("94 days");
    assertThat(ScoringModel.format(4.0, "log_thousands", java.util.Locale.ENGLISH))
        .isEqualTo("10.0 M€");
    assertThat(ScoringModel.percentile(new double[] {1, 2, 3, 4}, 3.5)).isEqualTo(75);
  }

  @Test
  void metricsOnHandComputedCases() {
    double[] score = {0.1, 0.4, 0.35, 0.8};
    int[] label = {0, 0, 1, 1};
    assertThat(Metrics.auc(score, label)).isCloseTo(0.75, within(1e-12));
    assertThat(Metrics.gini(0.75)).isCloseTo(0.5, within(1e-12));
    assertThat(Metrics.ks(score, label)).isCloseTo(0.5, within(1e-12));
    assertThat(Metrics.brier(new double[] {0, 1, 0.5}, new int[] {0, 1, 1}))
        .isCloseTo(0.25 / 3, within(1e-12));
    // ties count half
    assertThat(Metrics.auc(new double[] {0.5, 0.5}, new int[] {0, 1}))
        .isCloseTo(0.5, within(1e-12));
  }

  @Test
  void delongIntervalOnAHandComputedCase() {
    // Structural components: defaults {0.5, 1}, others {1, 0.5}: variance 0.125/2 + 0.125/2;
    // standard error of the logit: sqrt(0.125) / (0.75 * 0.25).
    Metrics.Interval auc =
        Metrics.aucWithInterval(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1});
    double se = Math.sqrt(0.125) / (0.75 * 0.25);
    assertThat(auc.value()).isCloseTo(0.75, within(1e-12));
    assertThat(auc.low())
        .isCloseTo(1 / (1 + Math.exp(-(Math.log(3) - 1.959964 * se))), within(1e-6));
    assertThat(auc.high())
        .isCloseTo(1 / (1 + Math.exp(-(Math.log(3) + 1.959964 * se))), within(1e-6));
  }

  /**
   * Jeffreys intervals and p-values as the hand-written incomplete beta (Lentz's continued fraction
   * on a Lanczos log-gamma) gave them before Commons Statistics replaced it: {defaults, n, low,
   * high, p-value at PD 0.1 %, 1 %, 5 %, 20 %}.
   */
  private static final double[][] BEFORE_COMMONS_STATISTICS = {
    {
      0,
      10,
      4.7890433157581990e-05,
      0.21719626750921000,
      0.11389575791353164,
      0.35015634192190820,
      0.69493799694258920,
      0.96761258832471820
    },
    {
      0,
      100,
      4.8980731043978160e-06,
      0.024745270015269438,
      0.34576381289812924,
      0.84425927983566520,
      0.99865843787797590,
      0.99999999997752730
    },
    {
      1,
      50,
      0.0021664941752936490,
      0.089680351056963760,
      0.0081083474110342700,
      0.19874396970099958,
      0.83562423264387790,
      0.99994073714619500
    },
    {
      3,
      40,
      0.021576674442978096,
      0.18681429723762450,
      9.5610790529630040e-07,
      0.0023440914262895683,
      0.21716861648280730,
      0.98431026815859690
    },
    {
      5,
      10,
      0.22352867025270517,
      0.77647132974729470,
      7.5863436203155000e-15,
      2.3178530534061548e-09,
      1.3858038518087120e-05,
      0.015085397582786930
    },
    {
      10,
      100,
      0.052584675290669416,
      0.17012392965218570,
      1.4614089308845273e-18,
      2.2125658912696102e-08,
      0.018188229560352577,
      0.99630566532963980
    },
    {
      25,
      1000,
      0.016647163602675194,
      0.036093230351037340,
      3.6306200108633820e-27,
      2.5715308527126850e-05,
      0.99996478360805610,
      1.0000000000000000
    },
    {
      120,
      5000,
      0.020028823445830590,
      0.028521873928188500,
      4.2337337879596020e-119,
      1.4301033568848747e-17,
      1.0000000000000000,
      1.0000000000000000
    },
    {
      2,
      20000,
      2.0780853714667700e-05,
      0.00032077312256955206,
      0.99999985194139900,
      1.0000000000000000,
      1.0000000000000000,
      1.0000000000000000
    },
  };

  @Test
  void jeffreysFiguresAreThoseOfTheHandWrittenBetaWithinTolerance() {
    double[] pds = {0.001, 0.01, 0.05, 0.2};
    for (double[] row : BEFORE_COMMONS_STATISTICS) {
      int defaults = (int) row[0];
      int n = (int) row[1];
      Metrics.Interval interval = Metrics.jeffreys(defaults, n);
      assertRelativelyClose(interval.low(), row[2]);
      assertRelativelyClose(interval.high(), row[3]);
      for (int k = 0; k < pds.length; k++) {
        assertRelativelyClose(Metrics.jeffreysPValue(defaults, n, pds[k]), row[4 + k]);
      }
    }
  }

  /** Equal to 1e-9 of the value: tails of 1e-119 are compared as closely as values near 1. */
  private static void assertRelativelyClose(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-9 * Math.abs(expected) + 1e-300));
  }

  @Test
  void betaFunctionsMatchClosedForms() {
    for (double x : new double[] {0.01, 0.2, 0.5, 0.9}) {
      // I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b, I_x(1/2, 1/2) = 2/pi asin(sqrt x)
      assertThat(Metrics.regularizedBeta(x, 3.5, 1)).isCloseTo(Math.pow(x, 3.5), within(1e-10));
      assertThat(Metrics.regularizedBeta(x, 1, 7.5))
          .isCloseTo(1 - Math.pow(1 - x, 7.5), within(1e-10));
      assertThat(Metrics.regularizedBeta(x, 0.5, 0.5))
          .isCloseTo(2 / Math.PI * Math.asin(Math.sqrt(x)), within(1e-10));
    }
    // Jeffreys interval of 5 defaults in 10: symmetric around one half.
    Metrics.Interval half = Metrics.jeffreys(5, 10);
    assertThat(half.low() + half.high()).isCloseTo(1, within(1e-9));
    // No default in 100 companies: the lower bound is 0-ish, the upper one about 2.5 %.
    Metrics.Interval none = Metrics.jeffreys(0, 100);
    assertThat(none.low()).isLessThan(1e-4);
    assertThat(Metrics.regularizedBeta(none.high(), 0.5, 100.5)).isCloseTo(0.975, within(1e-9));
    // A PD of 1 % for a grade with 10 defaults in 100 is far too low.
    assertThat(Metrics.jeffreysPValue(10, 100, 0.01)).isLessThan(1e-4);
    assertThat(Metrics.jeffreysPValue(10, 100, 0.30)).isGreaterThan(0.9999);
  }

  @Test
  void psiOnAHandComputedCase() {
    double expected = (0.25 - 0.5) * Math.log(0.5) + (0.75 - 0.5) * Math.log(1.5);
    assertThat(Metrics.psi(new long[] {50, 50}, new long[] {25, 75}))
        .isCloseTo(expected, within(1e-12));
    assertThat(Metrics.psi(new long[] {10, 20, 30}, new long[] {1, 2, 3}))
        .isCloseTo(0, within(1e-12));
    assertThat(ValidationReport.psiVerdict(0.05)).isEqualTo("stable");
    assertThat(ValidationReport.psiVerdict(0.3)).isEqualTo("shifted");
  }

  @Test
  void gradesCoverEveryPd() {
    assertThat(Grades.of(0)).isEqualTo(1);
    assertThat(Grades.of(0.0099)).isEqualTo(4);
    assertThat(Grades.of(0.01)).isEqualTo(5);
    assertThat(Grades.of(0.9)).isEqualTo(10);
    assertThat(Grades.band(4)).isEqualTo("0.50 % - 1.00 %");
  }

  @Test
  void predictWritesOneRowPerInputRowInOrder(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.csv");
    List<String> lines = Files.readAllLines(DATA).subList(0, 51);
    // Drop the label column, as a scoring file would, and shuffle the columns' order.
    Files.write(in, lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    Path out = dir.resolve("pred.csv");
    assertThat(
            new CommandLine(new ModelCommand())
                .execute("predict", "--data", in.toString(), "--out", out.toString()))
        .isZero();
    List<String> predictions = Files.readAllLines(out);
    assertThat(predictions).hasSize(51);
    assertThat(predictions.get(0)).isEqualTo("row,pd");
    TrainingData data = TrainingData.read(DATA);
    for (int r = 0; r < 50; r++) {
      String[] cells = predictions.get(r + 1).split(",");
      assertThat(Integer.parseInt(cells[0])).isEqualTo(r);
      assertThat(Double.parseDouble(cells[1])).isCloseTo(SHIPPED.pd(data.rows()[r]), within(1e-12));
    }
  }
}
