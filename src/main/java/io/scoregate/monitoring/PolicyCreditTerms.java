package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.EventSummary;
import io.scoregate.scoring.Assessment;
import io.scoregate.scoring.DecisionPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Credit terms from the decision policy every tenant gets: the limit and term a decision on the
 * company would carry, whatever the amount asked.
 */
public final class PolicyCreditTerms implements CreditTerms {

  private static final CompanyKey ANY = new CompanyKey("XX", "member");
  private final DecisionPolicy policy;

  public PolicyCreditTerms(DecisionPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Terms recommend(String tenantId, Input in) {
    Assessment assessment =
        new Assessment(
            ANY,
            null,
            in.score(),
            in.pd(),
            in.riskLevel(),
            List.of(),
            new double[0],
            null,
            null,
            Instant.EPOCH,
            in.openProceeding(),
            in.monthlySales(),
            in.equity(),
            EventSummary.NONE);
    DecisionPolicy.Outcome outcome = policy.decide(assessment, 0, 0);
    return new Terms(BigDecimal.valueOf(outcome.maxAmount()), outcome.maxPaymentTerm());
  }
}
