package io.scoregate.monitoring;

import java.math.BigDecimal;

/**
 * The credit limit and payment term a tenant's decision policy recommends for a company, shown
 * beside each member's exposure and revised at every re-score.
 */
public interface CreditTerms {

  /** What the policy reads of a company: its current score and the lines its limits scale with. */
  record Input(
      int score,
      double pd,
      String riskLevel,
      double monthlySales,
      double equity,
      boolean openProceeding) {}

  /** A limit in EUR and a term in days; both null when the company cannot be scored. */
  record Terms(BigDecimal limit, Integer termDays) {
    static final Terms NONE = new Terms(null, null);
  }

  Terms recommend(String tenantId, Input input);
}
