package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The validation report of a model: discrimination with confidence intervals, calibration per grade
 * with Jeffreys tests, population stability, feature importance, the variables and the methodology.
 * Built as JSON (for machines and the registry); {@link ValidationReportMarkdown} renders it for a
 * credit committee or an auditor.
 */
public final class ValidationReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Below: stable; up to {@link #PSI_SHIFT}: monitor; above: the population has shifted. */
  static final double PSI_STABLE = 0.10;

  static final double PSI_SHIFT = 0.25;

  /** Significance of the two one-sided Jeffreys tests per grade. */
  static final double CALIBRATION_ALPHA = 0.05;

  private ValidationReport() {}

  /** Discrimination and calibration of predicted PDs against observed defaults. */
  public static ObjectNode performance(double[] pd, int[] labels) {
    ObjectNode out = JSON.createObjectNode();
    int defaults = Arrays.stream(labels).sum();
    out.put("rows", labels.length);
    out.put("defaults", defaults);
    out.put("observed_default_rate", (double) defaults / labels.length);
    out.put("mean_pd", Arrays.stream(pd).average().orElse(Double.NaN));
    Metrics.Interval auc = Metrics.aucWithInterval(pd, labels);
    out.put("auc", auc.value());
    out.put("auc_ci95_low", auc.low());
    out.put("auc_ci95_high", auc.high());
    out.put("auc_ci_method", "DeLong variance, logit-transformed 95 % interval");
    out.put("gini", Metrics.gini(auc.value()));
    out.put("gini_ci95_low", Metrics.gini(auc.low()));
    out.put("gini_ci95_high", Metrics.gini(auc.high()));
    out.put("ks", Metrics.ks(pd, labels));
    out.put("brier", Metrics.brier(pd, labels));
    out.set("calibration", calibration(pd, labels));
    return out;
  }

  /**
   * Observed against predicted default rates per grade, with the Jeffreys interval of the observed
   * rate and the one-sided test of the grade's mean PD. Empty grades are left out.
   */
  public static ArrayNode calibration(double[] pd, int[] labels) {
    int[] n = new int[Grades.COUNT];
    int[] d = new int[Grades.COUNT];
    double[] sumPd = new double[Grades.COUNT];
    for (int i = 0; i < pd.length; i++) {
      int g = Grades.of(pd[i]) - 1;
      n[g]++;
      d[g] += labels[i];
      sumPd[g] += pd[i];
    }
    ArrayNode grades = JSON.createArrayNode();
    for (int g = 0; g < Grades.COUNT; g++) {
      if (n[g] == 0) {
        continue;
      }
      double meanPd = sumPd[g] / n[g];
      Metrics.Interval observed = Metrics.jeffreys(d[g], n[g]);
      double p = Metrics.jeffreysPValue(d[g], n[g], meanPd);
      ObjectNode row = grades.addObject();
      row.put("grade", Grades.name(g + 1));
      row.put("pd_band", Grades.band(g + 1));
      row.put("companies", n[g]);
      row.put("defaults", d[g]);
      row.put("observed_default_rate", observed.value());
      row.put("mean_pd", meanPd);
      row.put("jeffreys_ci95_low", observed.low());
      row.put("jeffreys_ci95_high", observed.high());
      // P(true rate <= mean PD | observations): small means the PD is too low for this grade.
      row.put("p_value_pd_too_low", p);
      row.put("p_value_pd_too_high", 1 - p);
      row.put(
          "verdict",
          p < CALIBRATION_ALPHA
              ? "pd too low"
              : 1 - p < CALIBRATION_ALPHA ? "pd conservative" : "consistent");
    }
    return grades;
  }

  /**
   * What stability is measured against: how a population spreads over the grades and over bins of
   * each feature (deciles of the training values, plus a bin for missing values).
   */
  public static ObjectNode distribution(ScoringModel model, double[][] rows) {
    ObjectNode out = JSON.createObjectNode();
    out.put("rows", rows.length);
    double[] pd = Arrays.stream(rows).mapToDouble(model::pd).toArray();
    ArrayNode grades = out.putArray("grades");
    Arrays.stream(Grades.distribution(pd)).forEach(grades::add);
    ObjectNode features = out.putObject("features");
    for (int j = 0; j < model.featureNames().size(); j++) {
      ArrayNode counts = features.putArray(model.featureNames().get(j));
      Arrays.stream(featureBins(model, j, rows)).forEach(counts::add);
    }
    return out;
  }

  /** PSI of a population against a baseline distribution, over grades and per feature. */
  public static ObjectNode stability(JsonNode baseline, ObjectNode population) {
    ObjectNode out = JSON.createObjectNode();
    out.put("baseline_rows", baseline.get("rows").asLong());
    out.put("population_rows", population.get("rows").asLong());
    double psi = Metrics.psi(longs(baseline.get("grades")), longs(population.get("grades")));
    out.put("psi_grades", psi);
    out.put("verdict", psiVerdict(psi));
    ArrayNode features = out.putArray("features");
    population
        .get("features")
        .fieldNames()
        .forEachRemaining(
            name -> {
              JsonNode expected = baseline.get("features").get(name);
              if (expected != null) {
                double f =
                    Metrics.psi(longs(expected), longs(population.get("features").get(name)));
                features
                    .addObject()
                    .put("feature", name)
                    .put("psi", f)
                    .put("verdict", psiVerdict(f));
              }
            });
    List<JsonNode> sorted = new java.util.ArrayList<>();
    features.forEach(sorted::add);
    sorted.sort(Comparator.comparingDouble((JsonNode n) -> -n.get("psi").asDouble()));
    features.removeAll();
    sorted.forEach(features::add);
    return out;
  }

  static String psiVerdict(double psi) {
    return psi < PSI_STABLE ? "stable" : psi < PSI_SHIFT ? "monitor" : "shifted";
  }

  /** Mean absolute TreeSHAP contribution of each feature over the rows, largest first. */
  public static ArrayNode importance(ScoringModel model, double[][] rows) {
    int nf = model.featureNames().size();
    double[] sum = new double[nf];
    for (double[] row : rows) {
      double[] phi = model.predict(row).contributions();
      for (int j = 0; j < nf; j++) {
        sum[j] += Math.abs(phi[j]);
      }
    }
    double total = Arrays.stream(sum).sum();
    JsonNode catalog = catalog();
    ArrayNode out = JSON.createArrayNode();
    IntStream.range(0, nf)
        .boxed()
        .sorted(Comparator.comparingDouble(j -> -sum[j]))
        .forEach(
            j -> {
              String name = model.featureNames().get(j);
              out.addObject()
                  .put("feature", name)
                  .put("code", catalog.path(name).path("code").asText(name))
                  .put("mean_abs_contribution", sum[j] / rows.length)
                  .put("share", total == 0 ? 0 : sum[j] / total);
            });
    return out;
  }

  /** The model's variables with their definitions and how often each is missing in training. */
  public static ArrayNode variables(ScoringModel model, double[][] rows) {
    JsonNode catalog = catalog();
    ArrayNode out = JSON.createArrayNode();
    for (int j = 0; j < model.featureNames().size(); j++) {
      String name = model.featureNames().get(j);
      JsonNode c = catalog.path(name);
      int column = j;
      long missing = Arrays.stream(rows).filter(r -> Double.isNaN(r[column])).count();
      out.addObject()
          .put("feature", name)
          .put("code", c.path("code").asText(name))
          .put("name", c.path("en").asText(name))
          .put("definition", c.path("definition").asText(""))
          .put("missing_share", rows.length == 0 ? 0 : (double) missing / rows.length);
    }
    return out;
  }

  static JsonNode catalog() {
    try (InputStream in =
        ValidationReport.class
            .getClassLoader()
            .getResourceAsStream(ScoringModel.CATALOG_RESOURCE)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decile bins of the training values of feature j, then one bin for missing values. */
  private static long[] featureBins(ScoringModel model, int j, double[][] rows) {
    double[] q = model.quantiles(j);
    double[] edges = new double[9];
    for (int k = 1; k <= 9; k++) {
      edges[k - 1] = q.length == 0 ? Double.NaN : q[Math.min(q.length - 1, k * 10)];
    }
    long[] counts = new long[11];
    for (double[] row : rows) {
      double v = row[j];
      if (Double.isNaN(v)) {
        counts[10]++;
        continue;
      }
      int bin = 0;
      while (bin < 9 && v > edges[bin]) {
        bin++;
      }
      counts[bin]++;
    }
    return counts;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
