package io.scoregate.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a company's assessment and the credit asked for into a recommendation with limits. The risk
 * level gives the base recommendation, the maximum payment term and the credit limit (a share of
 * monthly sales, or of equity without sales, capped and rounded down); asking for more than a limit
 * makes the recommendation at best the configured over-limit one.
 */
public final class DecisionPolicy {

  private final PolicyConfig config;
  private final MasterScale scale;
  private final Recommendation overLimit;
  private final ReasonTexts texts = new ReasonTexts();

  public DecisionPolicy(PolicyConfig config) {
    this.config = config;
    this.scale = new MasterScale(config);
    this.overLimit = Recommendation.fromWire(config.overLimitRecommendation());
  }

  public String version() {
    return config.version();
  }

  /** The outcome of one request. */
  public record Outcome(
      Recommendation recommendation,
      long maxAmount,
      int maxPaymentTerm,
      List<ScoreReason> reasons) {}

  static final String AMOUNT_ABOVE_LIMIT = "AMOUNT_ABOVE_LIMIT";
  static final String PAYMENT_TERM_ABOVE_LIMIT = "PAYMENT_TERM_ABOVE_LIMIT";

  public Outcome decide(Assessment assessment, double amount, int paymentTerm) {
    if (assessment.insufficientData()) {
      Recommendation rec =
          assessment.refuse() ? Recommendation.REFUSE : Recommendation.MANUAL_REVIEW;
      return new Outcome(rec, 0, 0, List.of());
    }
    RiskLevelConfig level = scale.levelByName(assessment.riskLevel());
    Recommendation recommendation = Recommendation.fromWire(level.recommendation());
    if (assessment.refuse()) {
      recommendation = Recommendation.REFUSE;
    }
    long maxAmount = recommendation == Recommendation.REFUSE ? 0 : maxAmount(assessment, level);
    int maxTerm = recommendation == Recommendation.REFUSE ? 0 : level.maxPaymentTermDays();
    List<ScoreReason> reasons = new ArrayList<>(2);
    if (recommendation != Recommendation.REFUSE) {
      if (amount > maxAmount) {
        recommendation = recommendation.atBest(overLimit);
        reasons.add(texts.limit(AMOUNT_ABOVE_LIMIT, amount, maxAmount, paymentTerm, maxTerm));
      }
      if (paymentTerm > maxTerm) {
        recommendation = recommendation.atBest(overLimit);
        reasons.add(texts.limit(PAYMENT_TERM_ABOVE_LIMIT, amount, maxAmount, paymentTerm, maxTerm));
      }
    }
    return new Outcome(recommendation, maxAmount, maxTerm, List.copyOf(reasons));
  }

  private long maxAmount(Assessment assessment, RiskLevelConfig level) {
    double limit;
    if (Double.isFinite(assessment.monthlySales()) && assessment.monthlySales() > 0) {
      limit = level.creditShareOfMonthlySales() * assessment.monthlySales();
    } else if (Double.isFinite(assessment.equity()) && assessment.equity() > 0) {
      limit = level.creditShareOfEquity() * assessment.equity();
    } else {
      limit = 0;
    }
    limit = Math.min(limit, config.maxAmountCap());
    return (long) (Math.floor(limit / config.amountRounding()) * config.amountRounding());
  }
}
