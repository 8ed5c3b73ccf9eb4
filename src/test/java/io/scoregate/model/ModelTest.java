package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    Path a = new ModelTrainer(clock).train(data, DATA, QUICK, 3, "t1", dir.resolve("a"));
    Path b = new ModelTrainer(clock).train(data, DATA, QUICK, 3, "t1", dir.resolve("b"));
    assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
    ObjectNode artifact = (ObjectNode) new ObjectMapper().readTree(a.toFile());
    assertThat(artifact.get("trees")).hasSize(40);
  }

  @Test
  void theJavaEvaluatorGivesXgboostsMarginsAndTheArtifactLoads(@TempDir Path dir) throws Exception {
    // train() refuses to write an artifact whose trees differ from XGBoost's predictions.
    TrainingData data = TrainingData.read(DATA);
    Path artifact = new ModelTrainer(Clock.systemUTC()).train(data, DATA, QUICK, 3, "t2", dir);
    ScoringModel model = ScoringModel.fromPath(artifact);
    assertThat(model.version()).isEqualTo("t2");
    assertThat(model.metadata().at("/metrics/auc_mean").asDouble()).isGreaterThan(0.85);
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
  void predictWritesOneRowPerInputRowInOrder(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.csv");
    List<String> lines = Files.readAllLines(DATA).subList(0, 51);
    // Drop the label column, as a scoring file would, and shuffle the columns' order.
    Files.write(in, lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    Path out = dir.resolve("pred.csv");
    assertThat(
            ModelCommand.run(
                new String[] {"predict", "--data", in.toString(), "--out", out.toString()}))
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
