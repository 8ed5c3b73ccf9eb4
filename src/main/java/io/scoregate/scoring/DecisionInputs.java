package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.model.Grades;
import io.scoregate.policy.CurrentInputs;
import io.scoregate.policy.PolicyInputs;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;

/**
 * Turns a company's assessment and a request into the inputs of the tenants' policy rules, with the
 * master scale's own outcome among them (recorded with the assessment); for decisions and for
 * simulations on a portfolio.
 */
public final class DecisionInputs implements CurrentInputs {

  private final AssessmentService assessments;
  private final Clock clock;

  public DecisionInputs(AssessmentService assessments, Clock clock) {
    this.assessments = assessments;
    this.clock = clock;
  }

  @Override
  public Future<PolicyInputs> current(CompanyKey key, double amount, int paymentTerm) {
    return assessments.assessEncoded(key).map(a -> of(a, amount, paymentTerm, clock.instant()));
  }

  /**
   * What the policy's rules read about this request, decided at {@code at} (the company's age is
   * counted to that day): see {@link PolicyInputs}. Everything here but the request and the age is
   * in the assessment's record, and the age follows from its creation date there and the decision's
   * time, so a simulation can replay it.
   */
  PolicyInputs of(EncodedAssessment encoded, double amount, int paymentTerm, Instant at) {
    Assessment a = encoded.assessment();
    DecisionPolicy.Outcome scale = encoded.masterScale();
    boolean scored = !a.insufficientData();
    double monthlySales = a.monthlySales();
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
        PolicyInputs.ageYears(a.profile().createdOn(), at),
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
