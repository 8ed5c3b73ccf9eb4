package io.scoregate.scoring;

import static io.scoregate.config.ConfigCheck.require;

import java.util.List;

/** Configuration key {@code policy}: the master scale, risk levels, limits and overrides. */
public record PolicyConfig(
    String version,
    double pdAtScore100,
    double pdAtScore0,
    List<RiskLevelConfig> levels,
    double maxAmountCap,
    double amountRounding,
    int incidentLookbackMonths,
    int incidentNotches,
    String overLimitRecommendation,
    double maxRequestAmount,
    int maxRequestPaymentTermDays) {
  public PolicyConfig {
    require(version != null && !version.isBlank(), "policy.version is required");
    require(
        pdAtScore100 > 0 && pdAtScore100 < pdAtScore0 && pdAtScore0 < 1,
        "policy needs 0 < pdAtScore100 < pdAtScore0 < 1");
    require(levels != null && !levels.isEmpty(), "policy.levels is required");
    levels = List.copyOf(levels);
    for (int i = 1; i < levels.size(); i++) {
      require(
          levels.get(i).minScore() < levels.get(i - 1).minScore(),
          "policy.levels must be ordered by decreasing minScore");
    }
    require(
        levels.get(levels.size() - 1).minScore() == 0, "the last policy level needs minScore 0");
    require(amountRounding > 0, "policy.amountRounding must be > 0");
    require(incidentNotches >= 0, "policy.incidentNotches must be >= 0");
    require(maxRequestAmount > 0, "policy.maxRequestAmount must be > 0");
    require(maxRequestPaymentTermDays > 0, "policy.maxRequestPaymentTermDays must be > 0");
  }
}
