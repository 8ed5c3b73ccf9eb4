package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code model train | tune | predict | evaluate}: the command line of the model unit.
 *
 * <pre>
 * model train    --data FILE.csv --out DIR [--version 1.1.0] [--seed 42] [--folds 5]
 *                [--rounds 200] [--eta 0.1] [--depth 4] [--subsample 0.8] [--colsample 0.8]
 *                [--monotone true|false] [--population SCORED.csv]   artifact + validation report
 * model tune     --data FILE.csv [--seed 42] [--folds 5]     cross-validated AUC of a small grid
 * model compare  --data FILE.csv [--seed 42] [--folds 5]     the model card's candidate table
 * model predict  --data FILE.csv --out PRED.csv [--model ARTIFACT.json]
 * model evaluate --data FILE.csv [--model ARTIFACT.json]     report metrics of a labelled file
 * model psi      --data FILE.csv [--model ARTIFACT.json]     stability against training
 * </pre>
 */
@Command(name = "model", description = "Models: training and validation, the registry.")
public final class ModelCommand {

  /** The options of training and cross-validation that train, tune and compare share. */
  static final class Folds {
    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "labelled")
    Path data;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--folds", defaultValue = "5")
    int folds;
  }

  /** A file scored by a model: predict, evaluate and psi. */
  static final class Scored {
    @Option(names = "--data", required = true, paramLabel = "FILE.csv")
    Path data;

    @Option(
        names = "--model",
        paramLabel = "ARTIFACT.json",
        description = "default: the shipped one")
    Path artifact;
  }

  @Command(
      name = "train",
      description = "Train a model: the artifact and its validation report (JSON, Markdown).")
  int train(
      @Mixin Folds f,
      @Option(names = "--out", required = true, paramLabel = "DIR") Path out,
      @Option(names = "--version", defaultValue = "1.1.0") String version,
      @Option(names = "--rounds") Integer rounds,
      @Option(names = "--eta") Double eta,
      @Option(names = "--depth") Integer depth,
      @Option(names = "--subsample") Double subsample,
      @Option(names = "--colsample") Double colsample,
      @Option(names = "--min-child-weight") Double minChildWeight,
      @Option(names = "--lambda") Double lambda,
      @Option(
              names = "--monotone",
              defaultValue = "true",
              arity = "1",
              paramLabel = "true|false",
              description = "monotone constraints on the financial ratios")
          boolean monotone,
      @Option(
              names = "--population",
              paramLabel = "SCORED.csv",
              description = "the scoring population of the stability baseline")
          Path populationFile)
      throws Exception {
    TrainingData training = TrainingData.read(f.data);
    ModelTrainer.Params d = ModelTrainer.Params.defaults(f.seed);
    ModelTrainer.Params params =
        new ModelTrainer.Params(
                rounds != null ? rounds : d.rounds(),
                eta != null ? eta : d.eta(),
                depth != null ? depth : d.maxDepth(),
                subsample != null ? subsample : d.subsample(),
                colsample != null ? colsample : d.colsample(),
                minChildWeight != null ? minChildWeight : d.minChildWeight(),
                lambda != null ? lambda : d.lambda(),
                d.seed())
            .withMonotone(monotone ? ModelTrainer.FINANCE_DIRECTIONS : Map.of());
    double[][] population = populationFile != null ? features(populationFile, training) : null;
    ModelTrainer.Trained trained =
        new ModelTrainer(Clock.systemUTC())
            .train(training, f.data, params, f.folds, version, out, population);
    ScoringModel model = ScoringModel.fromPath(trained.artifact());
    System.out.println("wrote " + trained.artifact());
    System.out.println("wrote " + trained.reportJson());
    System.out.println("wrote " + trained.reportMarkdown());
    System.out.println(model.metadata().get("metrics").toPrettyString());
    return 0;
  }

  /** The rows of a features file, columns in the order of the training file's features. */
  private static double[][] features(Path file, TrainingData like) throws IOException {
    TrainingData population = TrainingData.read(file, false);
    return aligned(population, like.featureNames());
  }

  private static double[][] aligned(TrainingData data, List<String> featureNames) {
    int[] index = new int[featureNames.size()];
    for (int j = 0; j < index.length; j++) {
      index[j] = data.featureNames().indexOf(featureNames.get(j));
    }
    double[][] rows = new double[data.size()][index.length];
    for (int r = 0; r < data.size(); r++) {
      for (int j = 0; j < index.length; j++) {
        rows[r][j] = index[j] < 0 ? Double.NaN : data.rows()[r][index[j]];
      }
    }
    return rows;
  }

  /** PSI of a scoring population (features file, no label needed) against the training one. */
  @Command(name = "psi", description = "Stability of a scoring population against training.")
  int psi(@Mixin Scored scored) throws IOException {
    ScoringModel model = model(scored.artifact);
    JsonNode baseline = model.metadata().get("population_baseline");
    if (baseline == null) {
      throw new IllegalArgumentException(
          "model " + model.version() + " carries no population baseline: retrain it");
    }
    TrainingData population = TrainingData.read(scored.data, false);
    ObjectNode report =
        ValidationReport.stability(
            baseline,
            ValidationReport.distribution(model, aligned(population, model.featureNames())));
    report.put("model_version", model.version());
    System.out.println(report.toPrettyString());
    return 0;
  }

  @Command(name = "tune", description = "Cross-validated AUC of a small grid of parameters.")
  int tune(@Mixin Folds f) throws Exception {
    TrainingData training = TrainingData.read(f.data);
    long seed = f.seed;
    int folds = f.folds;
    ModelTrainer trainer = new ModelTrainer(Clock.systemUTC());
    System.out.println("rounds,eta,depth,subsample,colsample,min_child_weight,auc_mean,auc_std");
    for (int depth : new int[] {3, 4, 5, 6}) {
      for (int rounds : new int[] {200, 400, 800}) {
        for (double minChild : new double[] {1, 5}) {
          ModelTrainer.Params p =
              new ModelTrainer.Params(rounds, 0.05, depth, 0.8, 0.8, minChild, 1, seed);
          ModelTrainer.CrossValidation cv = trainer.crossValidate(training, p, folds);
          System.out.printf(
              Locale.ROOT,
              "%d,%.2f,%d,%.1f,%.1f,%.0f,%.4f,%.4f%n",
              rounds,
              p.eta(),
              depth,
              p.subsample(),
              p.colsample(),
              minChild,
              cv.meanAuc(),
              cv.stdAuc());
        }
      }
    }
    return 0;
  }

  /** One row per input row, in order: the row number and the PD. Streams the file. */
  @Command(name = "predict", description = "The PD of every row of a file, in order.")
  int predict(
      @Mixin Scored scored,
      @Option(names = "--out", required = true, paramLabel = "PRED.csv") Path out)
      throws IOException {
    ScoringModel model = model(scored.artifact);
    Path in = scored.data;
    long rows = 0;
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      int[] columnOf = header(reader.readLine(), model);
      writer.write("row,pd\n");
      String line;
      double[] x = new double[model.featureNames().size()];
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        fill(line, columnOf, x);
        writer.write(rows + "," + model.pd(x) + "\n");
        rows++;
      }
    }
    System.err.println(
        "wrote " + rows + " predictions to " + out + " with model " + model.version());
    return 0;
  }

  /** The report's performance measures (with intervals and calibration per grade) on a file. */
  @Command(name = "evaluate", description = "The report's performance measures on a labelled file.")
  int evaluate(@Mixin Scored scored) throws IOException {
    ScoringModel model = model(scored.artifact);
    TrainingData data = TrainingData.read(scored.data);
    double[][] rows = aligned(data, model.featureNames());
    double[] pd = Arrays.stream(rows).mapToDouble(model::pd).toArray();
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("model_version", model.version());
    report.setAll(ValidationReport.performance(pd, data.labels()));
    System.out.println(report.toPrettyString());
    return 0;
  }

  private static ScoringModel model(Path path) {
    return path == null
        ? ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE)
        : ScoringModel.fromPath(path);
  }

  /** For each model feature, its column in the file (-1 when absent: always missing). */
  private static int[] header(String header, ScoringModel model) {
    if (header == null) {
      throw new IllegalArgumentException("the data file is empty");
    }
    List<String> columns = new ArrayList<>();
    for (String c : header.split(",", -1)) {
      columns.add(c.trim());
    }
    int[] columnOf = new int[model.featureNames().size()];
    List<String> absent = new ArrayList<>();
    for (int j = 0; j < columnOf.length; j++) {
      columnOf[j] = columns.indexOf(model.featureNames().get(j));
      if (columnOf[j] < 0) {
        absent.add(model.featureNames().get(j));
      }
    }
    if (!absent.isEmpty()) {
      System.err.println("warning: columns absent, read as missing: " + absent);
    }
    return columnOf;
  }

  private static void fill(String line, int[] columnOf, double[] x) {
    String[] cells = line.split(",", -1);
    for (int j = 0; j < x.length; j++) {
      int c = columnOf[j];
      x[j] = c < 0 || c >= cells.length ? Double.NaN : TrainingData.parseCell(cells[c]);
    }
  }

  /** The ratios an analyst reads first: the explainable short list measured against all 64. */
  static final List<String> SHORT_LIST =
      List.of(
          "Attr1", "Attr2", "Attr3", "Attr4", "Attr6", "Attr9", "Attr10", "Attr21", "Attr27",
          "Attr29", "Attr44", "Attr46");

  /**
   * Cross-validated measures of the candidate models the model card compares, on the same folds:
   * out-of-fold AUC per fold, pooled AUC with its DeLong interval, Gini, KS, and the Brier score of
   * the Platt-calibrated PD.
   */
  @Command(name = "compare", description = "The model card's table of candidate models.")
  int compare(@Mixin Folds f) throws Exception {
    TrainingData all = TrainingData.read(f.data);
    long seed = f.seed;
    int folds = f.folds;
    ModelTrainer.Params base = new ModelTrainer.Params(400, 0.05, 4, 0.8, 0.8, 1, 1, seed);
    Map<String, ModelTrainer.Params> candidates = new java.util.LinkedHashMap<>();
    candidates.put("gbt-400x0.05-d4 (v1)", base);
    candidates.put("gbt-400x0.05-d4 monotone", base.withMonotone(ModelTrainer.FINANCE_DIRECTIONS));
    candidates.put("gbt-200x0.10-d4 monotone (v1.1)", ModelTrainer.Params.defaults(seed));
    candidates.put("gbt-200x0.10-d4", new ModelTrainer.Params(200, 0.10, 4, 0.8, 0.8, 1, 1, seed));
    candidates.put("gbt-600x0.05-d3", new ModelTrainer.Params(600, 0.05, 3, 0.8, 0.8, 1, 1, seed));
    candidates.put("gbt-12-ratio short list", base);
    ModelTrainer trainer = new ModelTrainer(Clock.systemUTC());
    System.out.println(
        "| candidate | features | AUC mean (sd) | pooled AUC [95 % CI] | Gini | KS | Brier |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Map.Entry<String, ModelTrainer.Params> c : candidates.entrySet()) {
      TrainingData data = c.getKey().contains("short list") ? all.select(SHORT_LIST) : all;
      ModelTrainer.CrossValidation cv = trainer.crossValidate(data, c.getValue(), folds);
      Calibration calibration = Calibration.fit(cv.oofMargin(), cv.labels());
      double[] pd = Arrays.stream(cv.oofMargin()).map(calibration::pd).toArray();
      Metrics.Interval pooled = Metrics.aucWithInterval(cv.oofMargin(), cv.labels());
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.4f (%.4f) | %.4f [%.4f, %.4f] | %.4f | %.4f | %.4f |%n",
          c.getKey(),
          data.featureNames().size(),
          cv.meanAuc(),
          cv.stdAuc(),
          pooled.value(),
          pooled.low(),
          pooled.high(),
          Metrics.gini(cv.meanAuc()),
          Metrics.ks(cv.oofMargin(), cv.labels()),
          Metrics.brier(pd, cv.labels()));
    }
    return 0;
  }
}
