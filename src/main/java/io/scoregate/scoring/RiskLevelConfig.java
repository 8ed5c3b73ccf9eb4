package io.scoregate.scoring;

import static io.scoregate.config.ConfigCheck.require;

/** One risk level of {@code policy.levels}: its lower score, recommendation and limits. */
public record RiskLevelConfig(
    String name,
    int minScore,
    String recommendation,
    int maxPaymentTermDays,
    double creditShareOfMonthlySales,
    double creditShareOfEquity) {
  public RiskLevelConfig {
    require(name != null && !name.isBlank(), "a policy level needs a name");
    require(minScore >= 0 && minScore <= 100, "policy level minScore must be 0..100");
    require(maxPaymentTermDays >= 0, "policy level maxPaymentTermDays must be >= 0");
  }
}
