package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A versioned, immutable scoring model loaded from its artifact: the trees, the calibration of the
 * PD, and what turns contributions into reasons (the feature catalog and each feature's
 * distribution in the training population). Thread-safe; evaluation is pure Java.
 */
public final class ScoringModel {

  /** The artifact shipped in the jar. */
  public static final String DEFAULT_RESOURCE = "models/scoregate-model-1.1.0.json";

  static final String CATALOG_RESOURCE = "models/features.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String version;
  private final List<String> featureNames;
  private final TreeEnsemble trees;
  private final Calibration calibration;
  private final double[][] quantiles;
  private final FeatureText[] texts;
  private final JsonNode metadata;

  private record FeatureText(String code, String en, String fr, String unit) {}

  private ScoringModel(
      String version,
      List<String> featureNames,
      TreeEnsemble trees,
      Calibration calibration,
      double[][] quantiles,
      FeatureText[] texts,
      JsonNode metadata) {
    this.version = version;
    this.featureNames = List.copyOf(featureNames);
    this.trees = trees;
    this.calibration = calibration;
    this.quantiles = quantiles;
    this.texts = texts;
    this.metadata = metadata;
  }

  public static ScoringModel fromPath(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + path, e);
    }
  }

  public static ScoringModel fromClasspath(String resource) {
    try (InputStream in = ScoringModel.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no model " + resource + " on the classpath");
      }
      return load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + resource, e);
    }
  }

  public static ScoringModel load(InputStream json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (!"scoregate-model/1".equals(root.path("format").asText())) {
      throw new IllegalArgumentException("not a scoregate model artifact");
    }
    JsonNode features = root.get("features");
    List<String> names = new ArrayList<>(features.size());
    double[][] quantiles = new double[features.size()][];
    for (int i = 0; i < features.size(); i++) {
      names.add(features.get(i).get("name").asText());
      quantiles[i] = doubles(features.get(i).get("quantiles"));
    }
    JsonNode catalog;
    try (InputStream in =
        ScoringModel.class.getClassLoader().getResourceAsStream(CATALOG_RESOURCE)) {
      catalog = JSON.readTree(in);
    }
    FeatureText[] texts = new FeatureText[names.size()];
    for (int i = 0; i < texts.length; i++) {
      JsonNode t = catalog.get(names.get(i));
      texts[i] =
          t == null
              ? new FeatureText(
                  names.get(i).toUpperCase(Locale.ROOT), names.get(i), names.get(i), "times")
              : new FeatureText(
                  t.get("code").asText(),
                  t.get("en").asText(),
                  t.get("fr").asText(),
                  t.get("unit").asText());
    }
    JsonNode calibration = root.get("calibration");
    return new ScoringModel(
        root.get("version").asText(),
        names,
        readTrees(root.get("trees"), names.size(), root.get("base_margin").asDouble()),
        new Calibration(calibration.get("a").asDouble(), calibration.get("b").asDouble()),
        quantiles,
        texts,
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.deepCopy())
            .without(List.of("trees", "features")));
  }

  static TreeEnsemble readTrees(JsonNode trees, int featureCount, double baseMargin) {
    int total = 0;
    for (JsonNode tree : trees) {
      total += tree.get("feature").size();
    }
    int[] roots = new int[trees.size()];
    int[] feature = new int[total];
    float[] threshold = new float[total];
    int[] left = new int[total];
    int[] right = new int[total];
    boolean[] defaultLeft = new boolean[total];
    double[] value = new double[total];
    double[] cover = new double[total];
    int offset = 0;
    for (int t = 0; t < trees.size(); t++) {
      JsonNode tree = trees.get(t);
      roots[t] = offset;
      int n = tree.get("feature").size();
      for (int i = 0; i < n; i++) {
        int f = tree.get("feature").get(i).asInt();
        feature[offset + i] = f;
        threshold[offset + i] = (float) tree.get("threshold").get(i).asDouble();
        left[offset + i] = f < 0 ? -1 : offset + tree.get("left").get(i).asInt();
        right[offset + i] = f < 0 ? -1 : offset + tree.get("right").get(i).asInt();
        defaultLeft[offset + i] = tree.get("default_left").get(i).asInt() == 1;
        value[offset + i] = tree.get("value").get(i).asDouble();
        cover[offset + i] = tree.get("cover").get(i).asDouble();
      }
      offset += n;
    }
    return new TreeEnsemble(
        featureCount,
        roots,
        feature,
        threshold,
        left,
        right,
        defaultLeft,
        value,
        cover,
        baseMargin);
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  public String version() {
    return version;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /** Training data, hyper-parameters, cross-validated metrics: the artifact less its trees. */
  public JsonNode metadata() {
    return metadata;
  }

  /** Percentiles 0..100 of feature j in the training population (empty if always missing). */
  double[] quantiles(int j) {
    return quantiles[j];
  }

  TreeEnsemble trees() {
    return trees;
  }

  public Calibration calibration() {
    return calibration;
  }

  /** The calibrated PD alone: no allocation. */
  public double pd(double[] features) {
    return calibration.pd(trees.margin(features));
  }

  /** The PD with each feature's exact contribution to the margin. */
  public Prediction predict(double[] features) {
    double margin = trees.margin(features);
    return new Prediction(
        calibration.pd(margin), margin, trees.expectedMargin(), trees.shap(features));
  }

  /** The features that moved the score most, strongest first, as codes and plain text. */
  public List<Reason> reasons(double[] features, Prediction prediction, int max) {
    double[] phi = prediction.contributions();
    Integer[] order = new Integer[phi.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> -Math.abs(phi[i])));
    List<Reason> reasons = new ArrayList<>(max);
    for (int k = 0; k < order.length && reasons.size() < max; k++) {
      int i = order[k];
      if (Math.abs(phi[i]) < 1e-6) {
        break;
      }
      reasons.add(reason(i, features[i], phi[i]));
    }
    return reasons;
  }

  private Reason reason(int i, double value, double contribution) {
    FeatureText t = texts[i];
    String effectEn = contribution > 0 ? "raises the risk" : "lowers the risk";
    String effectFr = contribution > 0 ? "augmente le risque" : "réduit le risque";
    if (Double.isNaN(value)) {
      return new Reason(
          "MISSING_" + t.code(),
          featureNames.get(i),
          value,
          contribution,
          t.en() + " not available: " + effectEn + ".",
          t.fr() + " non disponible : " + effectFr + ".");
    }
    int percentile = percentile(quantiles[i], value);
    boolean high = percentile >= 50;
    String en =
        t.en()
            + " of "
            + format(value, t.unit(), Locale.ENGLISH)
            + ": "
            + (high ? "higher than " + percentile : "lower than " + (100 - percentile))
            + " % of companies; "
            + effectEn
            + ".";
    String fr =
        t.fr()
            + " de "
            + format(value, t.unit(), Locale.FRANCE)
            + " : "
            + (high ? "plus élevé que " + percentile : "plus bas que " + (100 - percentile))
            + " % des entreprises ; "
            + effectFr
            + ".";
    return new Reason(
        (high ? "HIGH_" : "LOW_") + t.code(), featureNames.get(i), value, contribution, en, fr);
  }

  /** Share (0-100) of the training population with a lower value. */
  static int percentile(double[] quantiles, double value) {
    if (quantiles.length == 0) {
      return 50;
    }
    int below = 0;
    while (below < quantiles.length && quantiles[below] < value) {
      below++;
    }
    return (int) Math.round(100.0 * below / quantiles.length);
  }

  static String format(double value, String unit, Locale locale) {
    boolean fr = locale == Locale.FRANCE;
    return switch (unit) {
      case "percent" -> String.format(locale, "%.1f %%", value * 100);
      case "days" -> String.format(locale, "%.0f %s", value, fr ? "jours" : "days");
      case "log_thousands" -> money(Math.pow(10, value) * 1000, locale);
      case "thousands" -> money(value * 1000, locale);
      default -> String.format(locale, "%.2f", value);
    };
  }

  private static String money(double amount, Locale locale) {
    double abs = Math.abs(amount);
    if (abs >= 1e6) {
      return String.format(locale, "%.1f M€", amount / 1e6);
    }
    if (abs >= 1e3) {
      return String.format(locale, "%.0f k€", amount / 1e3);
    }
    return String.format(locale, "%.0f €", amount);
  }
}
