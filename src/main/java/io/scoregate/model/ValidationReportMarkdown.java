package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.function.Function;

/**
 * The validation report for people: the JSON report of {@link ValidationReport} rendered as
 * Markdown, for a credit committee or an auditor. It computes nothing: every figure is the JSON's.
 */
final class ValidationReportMarkdown {

  private ValidationReportMarkdown() {}

  /** The report for people. */
  static String render(JsonNode r) {
    StringBuilder md = new StringBuilder();
    JsonNode perf = r.get("performance");
    md.append("# Validation report: scoregate model ")
        .append(r.path("model_version").asText())
        .append("\n\n")
        .append("Generated ")
        .append(r.path("created_at").asText())
        .append(" by `model train`. Training file `")
        .append(r.at("/training/file").asText())
        .append("` (SHA-256 `")
        .append(r.at("/training/sha256").asText())
        .append("`): ")
        .append(r.at("/training/rows").asInt())
        .append(" companies, ")
        .append(r.at("/training/defaults").asInt())
        .append(" bankrupt within the horizon.\n\n");
    md.append("## Summary\n\n| measure | value | 95 % interval |\n|---|---|---|\n");
    row(md, "AUC (out of fold)", f4(perf, "auc"), ci(perf, "auc_ci95_low", "auc_ci95_high"));
    row(md, "Gini", f4(perf, "gini"), ci(perf, "gini_ci95_low", "gini_ci95_high"));
    row(md, "KS", f4(perf, "ks"), "");
    row(md, "Brier score", f4(perf, "brier"), "");
    row(
        md,
        "Mean PD / observed default rate",
        pct(perf, "mean_pd") + " / " + pct(perf, "observed_default_rate"),
        "");
    JsonNode cv = r.path("cross_validation");
    if (!cv.isMissingNode()) {
      row(
          md,
          "AUC per fold",
          join(cv.get("auc_per_fold")),
          String.format(
              Locale.ROOT,
              "mean %.4f, sd %.4f",
              cv.get("auc_mean").asDouble(),
              cv.get("auc_std").asDouble()));
    }
    md.append("\nThe AUC interval uses DeLong's variance on the logit scale; every figure is")
        .append(" computed on out-of-fold predictions (each company scored by a model that did")
        .append(" not see it), with the calibration fitted on those predictions.\n\n");
    md.append("## Calibration per grade\n\n")
        .append("Observed default rate against the mean PD of each grade, with the Jeffreys 95 %")
        .append(" interval of the observed rate and the one-sided Jeffreys tests (ECB/EBA")
        .append(" back-testing practice): a p-value below ")
        .append(ValidationReport.CALIBRATION_ALPHA)
        .append(" flags a PD too low (or too conservative) for the grade.\n\n")
        .append("| grade | PD band | companies | defaults | observed | mean PD | Jeffreys 95 % |")
        .append(" p (PD too low) | verdict |\n|---|---|---|---|---|---|---|---|---|\n");
    for (JsonNode g : perf.get("calibration")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %.2f %% | %.2f %% | %.2f %% - %.2f %% | %.3f | %s |%n",
              g.get("grade").asText(),
              g.get("pd_band").asText(),
              g.get("companies").asInt(),
              g.get("defaults").asInt(),
              100 * g.get("observed_default_rate").asDouble(),
              100 * g.get("mean_pd").asDouble(),
              100 * g.get("jeffreys_ci95_low").asDouble(),
              100 * g.get("jeffreys_ci95_high").asDouble(),
              g.get("p_value_pd_too_low").asDouble(),
              g.get("verdict").asText()));
    }
    md.append("\n## Population stability\n\n");
    JsonNode stability = r.path("stability");
    if (stability.isMissingNode() || stability.isNull()) {
      md.append("No scoring population was given to this run. The training population's")
          .append(" distribution over grades and feature bins is stored in the artifact")
          .append(" (`population_baseline`); `model psi --data POPULATION.csv` and `model")
          .append(" backtest` measure a scoring population against it.\n");
    } else {
      md.append(
          String.format(
              Locale.ROOT,
              "PSI over grades: **%.4f** (%s; below %.2f stable, above %.2f shifted), %d"
                  + " companies against %d in training.%n%n",
              stability.get("psi_grades").asDouble(),
              stability.get("verdict").asText(),
              ValidationReport.PSI_STABLE,
              ValidationReport.PSI_SHIFT,
              stability.get("population_rows").asLong(),
              stability.get("baseline_rows").asLong()));
      md.append("| feature | PSI | verdict |\n|---|---|---|\n");
      rows(
          md,
          stability.get("features"),
          10,
          f ->
              String.format(
                  Locale.ROOT,
                  "| %s | %.4f | %s |%n",
                  f.get("feature").asText(),
                  f.get("psi").asDouble(),
                  f.get("verdict").asText()));
    }
    md.append("\n## Feature importance\n\n")
        .append("Mean absolute exact TreeSHAP contribution (log-odds) over the training")
        .append(" population; the 15 strongest.\n\n| feature | code | mean abs contribution |")
        .append(" share |\n|---|---|---|---|\n");
    rows(
        md,
        r.get("importance"),
        15,
        f ->
            String.format(
                Locale.ROOT,
                "| %s | %s | %.4f | %.1f %% |%n",
                f.get("feature").asText(),
                f.get("code").asText(),
                f.get("mean_abs_contribution").asDouble(),
                100 * f.get("share").asDouble()));
    md.append("\n## Variables\n\n| feature | code | definition | missing in training |\n")
        .append("|---|---|---|---|\n");
    for (JsonNode v : r.get("variables")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.1f %% |%n",
              v.get("feature").asText(),
              v.get("code").asText(),
              v.get("definition").asText(),
              100 * v.get("missing_share").asDouble()));
    }
    md.append("\n## Methodology\n\n");
    r.get("methodology").forEach(m -> md.append("- ").append(m.asText()).append('\n'));
    md.append("\n## Limits\n\n");
    r.get("limits").forEach(m -> md.append("- ").append(m.asText()).append('\n'));
    return md.toString();
  }

  /** The first {@code limit} elements of {@code array}, one table line each. */
  private static void rows(
      StringBuilder md, JsonNode array, int limit, Function<JsonNode, String> line) {
    int shown = 0;
    for (JsonNode element : array) {
      if (shown++ == limit) {
        break;
      }
      md.append(line.apply(element));
    }
  }

  private static void row(StringBuilder md, String name, String value, String interval) {
    md.append("| ").append(name).append(" | ").append(value).append(" | ").append(interval);
    md.append(" |\n");
  }

  private static String f4(JsonNode node, String field) {
    return String.format(Locale.ROOT, "%.4f", node.get(field).asDouble());
  }

  private static String pct(JsonNode node, String field) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * node.get(field).asDouble());
  }

  private static String ci(JsonNode node, String low, String high) {
    return String.format(
        Locale.ROOT, "%.4f - %.4f", node.get(low).asDouble(), node.get(high).asDouble());
  }

  private static String join(JsonNode array) {
    StringBuilder out = new StringBuilder();
    array.forEach(
        a ->
            out.append(out.length() == 0 ? "" : " ")
                .append(String.format(Locale.ROOT, "%.4f", a.asDouble())));
    return out.toString();
  }
}
