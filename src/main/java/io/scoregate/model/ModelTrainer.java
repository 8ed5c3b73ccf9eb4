package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains the scoring model: gradient-boosted trees (XGBoost) chosen and measured by stratified
 * k-fold cross-validation on the training file alone, a Platt calibration fitted on the out-of-fold
 * margins, and an artifact holding the trees in a form the Java evaluator reads, so that serving
 * never loads native code.
 */
public final class ModelTrainer {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The hyper-parameters; defaults are the ones cross-validation chose (see the model card). {@code
   * monotone} constrains the PD to rise (+1) or fall (-1) with the named features.
   */
  public record Params(
      int rounds,
      double eta,
      int maxDepth,
      double subsample,
      double colsample,
      double minChildWeight,
      double lambda,
      long seed,
      Map<String, Integer> monotone) {

    public Params {
      monotone = Map.copyOf(monotone);
    }

    public Params(
        int rounds,
        double eta,
        int maxDepth,
        double subsample,
        double colsample,
        double minChildWeight,
        double lambda,
        long seed) {
      this(rounds, eta, maxDepth, subsample, colsample, minChildWeight, lambda, seed, Map.of());
    }

    public static Params defaults(long seed) {
      return new Params(200, 0.10, 4, 0.8, 0.8, 1, 1, seed, FINANCE_DIRECTIONS);
    }

    public Params withMonotone(Map<String, Integer> constraints) {
      return new Params(
          rounds, eta, maxDepth, subsample, colsample, minChildWeight, lambda, seed, constraints);
    }

    Map<String, Object> xgboost(List<String> featureNames) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("objective", "binary:logistic");
      p.put("eta", eta);
      p.put("max_depth", maxDepth);
      p.put("subsample", subsample);
      p.put("colsample_bytree", colsample);
      p.put("min_child_weight", minChildWeight);
      p.put("lambda", lambda);
      p.put("tree_method", "hist");
      p.put("seed", seed);
      p.put("nthread", 1); // one thread: identical trees for the same data and seed
      p.put("verbosity", 0);
      if (!monotone.isEmpty()) {
        StringBuilder tuple = new StringBuilder("(");
        for (int j = 0; j < featureNames.size(); j++) {
          tuple.append(j == 0 ? "" : ",").append(monotone.getOrDefault(featureNames.get(j), 0));
        }
        p.put("monotone_constraints", tuple.append(')').toString());
      }
      return p;
    }
  }

  /**
   * Directions finance knows: the PD falls as profitability, equity and liquidity rise and rises
   * with indebtedness. Only ratios whose denominator keeps its sign are constrained.
   */
  public static final Map<String, Integer> FINANCE_DIRECTIONS =
      Map.ofEntries(
          Map.entry("Attr1", -1),
          Map.entry("Attr2", 1),
          Map.entry("Attr3", -1),
          Map.entry("Attr6", -1),
          Map.entry("Attr7", -1),
          Map.entry("Attr8", -1),
          Map.entry("Attr10", -1),
          Map.entry("Attr16", -1),
          Map.entry("Attr17", -1),
          Map.entry("Attr22", -1),
          Map.entry("Attr25", -1),
          Map.entry("Attr26", -1),
          Map.entry("Attr35", -1),
          Map.entry("Attr38", -1),
          Map.entry("Attr51", 1));

  /** Out-of-fold results of cross-validation. */
  public record CrossValidation(double[] foldAuc, double[] oofMargin, int[] labels) {
    public double meanAuc() {
      return Arrays.stream(foldAuc).average().orElse(Double.NaN);
    }

    public double stdAuc() {
      double mean = meanAuc();
      return Math.sqrt(
          Arrays.stream(foldAuc).map(a -> (a - mean) * (a - mean)).sum() / (foldAuc.length - 1));
    }

    public double pooledAuc() {
      return Metrics.auc(oofMargin, labels);
    }
  }

  private final Clock clock;

  public ModelTrainer(Clock clock) {
    this.clock = clock;
  }

  /** Stratified folds: defaults and non-defaults are spread evenly, in a seeded random order. */
  static int[] folds(int[] labels, int k, long seed) {
    int[] fold = new int[labels.length];
    Random random = new Random(seed);
    for (int cls = 0; cls <= 1; cls++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == cls) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, random);
      for (int j = 0; j < members.size(); j++) {
        fold[members.get(j)] = j % k;
      }
    }
    return fold;
  }

  public CrossValidation crossValidate(TrainingData data, Params params, int k)
      throws XGBoostError {
    int[] fold = folds(data.labels(), k, params.seed());
    double[] oof = new double[data.size()];
    double[] foldAuc = new double[k];
    for (int f = 0; f < k; f++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        (fold[i] == f ? test : train).add(i);
      }
      Booster booster = fit(data, train, params);
      TreeEnsemble trees = XgboostExport.trees(booster, data.featureNames().size());
      booster.dispose();
      double[] margins = new double[test.size()];
      int[] labels = new int[test.size()];
      for (int j = 0; j < test.size(); j++) {
        int i = test.get(j);
        margins[j] = trees.margin(data.rows()[i]);
        labels[j] = data.labels()[i];
        oof[i] = margins[j];
      }
      foldAuc[f] = Metrics.auc(margins, labels);
    }
    return new CrossValidation(foldAuc, oof, data.labels());
  }

  /** What a training run produced: the artifact and its validation report (JSON and Markdown). */
  public record Trained(Path artifact, Path reportJson, Path reportMarkdown) {}

  /**
   * Trains on all rows, writes the artifact and its validation report next to it. {@code
   * population}, when given, is a scoring population whose stability against the training one goes
   * into the report.
   */
  public Trained train(
      TrainingData data,
      Path sourceFile,
      Params params,
      int k,
      String version,
      Path outDir,
      double[][] population)
      throws XGBoostError, IOException {
    CrossValidation cv = crossValidate(data, params, k);
    Calibration calibration = Calibration.fit(cv.oofMargin(), cv.labels());
    double[] oofPd = Arrays.stream(cv.oofMargin()).map(calibration::pd).toArray();

    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      all.add(i);
    }
    Booster booster = fit(data, all, params);
    JsonNode xgbModel = XgboostExport.json(booster);
    TreeEnsemble trees = XgboostExport.trees(xgbModel, data.featureNames().size());
    XgboostExport.check(booster, trees, data);
    booster.dispose();

    String createdAt = clock.instant().toString();
    ObjectNode artifact = JSON.createObjectNode();
    artifact.put("format", "scoregate-model/1");
    artifact.put("version", version);
    artifact.put("created_at", createdAt);
    artifact.put(
        "algorithm",
        "XGBoost gradient-boosted trees (binary:logistic), evaluated in Java; exact TreeSHAP"
            + " explanations; Platt-calibrated PD");
    artifact.put("horizon", "12 months");
    ObjectNode training = artifact.putObject("training");
    training.put("file", sourceFile.getFileName().toString());
    training.put("sha256", sha256(sourceFile));
    training.put("rows", data.size());
    training.put("defaults", data.defaults());
    training.put("default_rate", (double) data.defaults() / data.size());
    training.put(
        "source",
        "UCI Polish companies bankruptcy data (dataset 365, CC BY 4.0), 5th year, 70 % sample");
    ObjectNode hp = artifact.putObject("hyper_parameters");
    params.xgboost(data.featureNames()).forEach((key, value) -> hp.putPOJO(key, value));
    hp.put("rounds", params.rounds());
    ObjectNode metrics = artifact.putObject("metrics");
    metrics.put("method", k + "-fold stratified cross-validation, out-of-fold predictions");
    ArrayNode folds = metrics.putArray("auc_per_fold");
    Arrays.stream(cv.foldAuc()).forEach(folds::add);
    metrics.put("auc_mean", cv.meanAuc());
    metrics.put("auc_std", cv.stdAuc());
    metrics.put("auc_pooled", cv.pooledAuc());
    metrics.put("gini", Metrics.gini(cv.meanAuc()));
    metrics.put("ks", Metrics.ks(cv.oofMargin(), cv.labels()));
    metrics.put("brier", Metrics.brier(oofPd, cv.labels()));
    ObjectNode cal = artifact.putObject("calibration");
    cal.put("method", "platt, fitted on out-of-fold margins");
    cal.put("a", calibration.a());
    cal.put("b", calibration.b());
    artifact.put("base_margin", trees.baseMargin());
    ArrayNode features = artifact.putArray("features");
    for (int j = 0; j < data.featureNames().size(); j++) {
      ObjectNode feature = features.addObject();
      feature.put("name", data.featureNames().get(j));
      double[] q = quantiles(data.rows(), j, 100);
      ArrayNode array = feature.putArray("quantiles");
      Arrays.stream(q).forEach(array::add);
      feature.put("missing_share", missingShare(data.rows(), j));
    }
    artifact.set("trees", XgboostExport.treesJson(xgbModel));

    // The model as served, to measure the training population and the explanations with.
    ScoringModel model =
        ScoringModel.load(new ByteArrayInputStream(JSON.writeValueAsBytes(artifact)));
    ObjectNode baseline = ValidationReport.distribution(model, data.rows());
    artifact.set("population_baseline", baseline);

    ObjectNode report = JSON.createObjectNode();
    report.put("model_version", version);
    report.put("created_at", createdAt);
    report.set("training", training.deepCopy());
    report.set("hyper_parameters", hp.deepCopy());
    ObjectNode cvNode = report.putObject("cross_validation");
    cvNode.put("folds", k);
    cvNode.set("auc_per_fold", folds.deepCopy());
    cvNode.put("auc_mean", cv.meanAuc());
    cvNode.put("auc_std", cv.stdAuc());
    report.set("performance", ValidationReport.performance(oofPd, cv.labels()));
    report.set(
        "stability",
        population == null
            ? null
            : ValidationReport.stability(
                baseline, ValidationReport.distribution(model, population)));
    report.set("importance", ValidationReport.importance(model, data.rows()));
    report.set("variables", ValidationReport.variables(model, data.rows()));
    ArrayNode methodology = report.putArray("methodology");
    METHODOLOGY.forEach(methodology::add);
    ArrayNode limits = report.putArray("limits");
    LIMITS.forEach(limits::add);
    artifact.set("validation", report.get("performance").deepCopy());

    Files.createDirectories(outDir);
    Path out = outDir.resolve("scoregate-model-" + version + ".json");
    JSON.writeValue(out.toFile(), artifact);
    Path reportJson = outDir.resolve("validation-report-" + version + ".json");
    JSON.writeValue(reportJson.toFile(), report);
    Path reportMd = outDir.resolve("validation-report-" + version + ".md");
    Files.writeString(reportMd, ValidationReportMarkdown.render(report));
    return new Trained(out, reportJson, reportMd);
  }

  static final List<String> METHODOLOGY =
      List.of(
          "Target: bankruptcy within the horizon of the source data (the 5th-year file: status"
              + " after about one year), read as a 12-month default.",
          "Model: XGBoost gradient-boosted trees on the 64 financial ratios, missing values kept"
              + " as missing (each split learns a default direction for them), hyper-parameters"
              + " chosen by cross-validated AUC on the training file alone (see the model card).",
          "Validation: stratified k-fold cross-validation with a fixed seed; every figure in"
              + " this report is computed on out-of-fold predictions.",
          "Calibration: Platt scaling of the tree margin, fitted on the out-of-fold margins;"
              + " monotone, so it keeps the ranking.",
          "Explanations: exact TreeSHAP (path-dependent) contributions in log-odds; they add up"
              + " to the margin for every company.",
          "Serving: the exported trees are evaluated in Java and checked at training against"
              + " XGBoost's own margins (difference below 1e-3).");

  static final List<String> LIMITS =
      List.of(
          "Trained on Polish manufacturing companies (1998-2013 statements): other countries,"
              + " sectors and periods may rank and calibrate differently. Retrain on your own"
              + " portfolio with `model train` and compare on the same report.",
          "In this data a missing line carries signal (a missing sales growth is almost always"
              + " a bankrupt firm). A company scored with an incomplete statement inherits that"
              + " signal: its reasons show each missing line so that an analyst can complete it.",
          "Out-of-fold estimates come from one file of a few thousand companies with a few"
              + " hundred defaults: small grades have wide intervals, read them with the"
              + " Jeffreys bounds.",
          "Insolvency proceedings and payment incidents are not in the model: they act as"
              + " documented overrides and notches in the decision policy.");

  private static Booster fit(TrainingData data, List<Integer> rows, Params params)
      throws XGBoostError {
    int nf = data.featureNames().size();
    float[] flat = new float[rows.size() * nf];
    float[] labels = new float[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      double[] row = data.rows()[rows.get(r)];
      for (int j = 0; j < nf; j++) {
        flat[r * nf + j] = (float) row[j];
      }
      labels[r] = data.labels()[rows.get(r)];
    }
    DMatrix matrix = new DMatrix(flat, rows.size(), nf, Float.NaN);
    matrix.setLabel(labels);
    try {
      return XGBoost.train(
          matrix, params.xgboost(data.featureNames()), params.rounds(), Map.of(), null, null);
    } finally {
      matrix.dispose();
    }
  }

  static double[] quantiles(double[][] rows, int column, int steps) {
    double[] values =
        Arrays.stream(rows)
            .mapToDouble(r -> r[column])
            .filter(v -> !Double.isNaN(v))
            .sorted()
            .toArray();
    double[] q = new double[steps + 1];
    if (values.length == 0) {
      return new double[0];
    }
    for (int s = 0; s <= steps; s++) {
      q[s] =
          values[
              (int)
                  Math.min(
                      values.length - 1, Math.round((double) s / steps * (values.length - 1)))];
    }
    return q;
  }

  private static double missingShare(double[][] rows, int column) {
    return Arrays.stream(rows).filter(r -> Double.isNaN(r[column])).count() / (double) rows.length;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
