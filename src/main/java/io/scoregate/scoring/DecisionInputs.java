package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.model.Grades;
import io.scoregate.policy.CurrentInputs;
import io.scoregate.policy.PolicyInputs;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * Turns a company's assessment and a request into the inputs of the tenants' policy rules, with the
 * master scale's own outcome among them; for decisions and for simulations on a portfolio.
 */
public final class DecisionInputs implements CurrentInputs {

  private final AssessmentService assessments;
  private final DecisionPolicy policy;
  private final Clock clock;

  public DecisionInputs(AssessmentService assessments, DecisionPolicy policy, Clock clock) {
    this.assessments = assessments;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public Future<PolicyInputs> current(CompanyKey key, double amount, int paymentTerm) {
    return assessments.assess(key).map(a -> of(a, amount, paymentTerm));
  }

  /** What the policy's rules read about this request: see {@link PolicyInputs}. */
  public PolicyInputs of(Assessment a, double amount, int paymentTerm) {
    DecisionPolicy.Outcome scale = policy.decide(a, 0, 0);
    boolean scored = !a.insufficientData();
    double monthlySales = a.monthlySales();
    LocalDate createdOn = a.profile().createdOn();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new PolicyInputs(
        scored,
        scored ? a.score() : 0,
        scored ? a.pd() : 1.0,
        scored ? Grades.name(Grades.of(a.pd())) : "",
        scored ? a.riskLevel() : "",
        amount,
        paymentTerm,
        a.key().country(),
        orEmpty(a.profile().sector()),
        orEmpty(a.profile().region()),
        orEmpty(a.profile().legalForm()),
        createdOn == null || createdOn.isAfter(today)
            ? -1
            : Period.between(createdOn, today).getYears(),
        Double.isFinite(monthlySales) ? monthlySales * 12 : 0,
        Double.isFinite(a.equity()) ? a.equity() : 0,
        a.events().hasOpenProceeding(),
        orEmpty(a.events().openProceedingKind()),
        a.profile().ceased(),
        a.events().recentIncidents(),
        a.events().recentIncidentAmount(),
        0,
        scale.recommendation().wire(),
        scale.maxAmount(),
        scale.maxPaymentTerm());
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
