package io.scoregate.policy;

import java.util.List;

/**
 * What no rule can cross, applied after the deciding rule, in this order:
 *
 * <ol>
 *   <li>{@code GUARDRAIL_LIQUIDATION}: a company in liquidation judiciaire, or that has ceased
 *       trading ({@code GUARDRAIL_COMPANY_CEASED}), is refused;
 *   <li>{@code GUARDRAIL_OPEN_PROCEEDING}: a company with any other open insolvency proceeding is
 *       at best {@code manual_review}, never accepted;
 *   <li>{@code GUARDRAIL_AMOUNT_CAP}: no credit limit above the platform cap ({@code
 *       policy.maxAmountCap}), nor a payment term above {@code policy.maxRequestPaymentTermDays};
 *       limits are whole multiples of {@code policy.amountRounding}, never negative;
 *   <li>a refusal grants nothing (limits 0);
 *   <li>the limit check: a request above the amount or term granted is at best {@code
 *       policy.overLimitRecommendation}, with {@code AMOUNT_ABOVE_LIMIT} or {@code
 *       PAYMENT_TERM_ABOVE_LIMIT}, unless nothing at all was granted.
 * </ol>
 *
 * Each guardrail that changes the rule's outcome adds its reason, so the answer says why.
 */
public final class Guardrails {

  private static final PolicyRule.Reason CEASED =
      new PolicyRule.Reason(
          "GUARDRAIL_COMPANY_CEASED",
          "A company that has ceased trading is always refused.",
          "Une entreprise qui a cessé son activité est toujours refusée.");

  private static final PolicyRule.Reason LIQUIDATION =
      new PolicyRule.Reason(
          "GUARDRAIL_LIQUIDATION",
          "A company in judicial liquidation is always refused.",
          "Une entreprise en liquidation judiciaire est toujours refusée.");

  private static final PolicyRule.Reason OPEN_PROCEEDING =
      new PolicyRule.Reason(
          "GUARDRAIL_OPEN_PROCEEDING",
          "A company with an open insolvency proceeding is never accepted automatically.",
          "Une entreprise en procédure collective n'est jamais acceptée automatiquement.");

  private final PolicyLimits limits;

  /** The reason the amount cap adds: its texts name the cap in force. */
  public static final String AMOUNT_CAP = "GUARDRAIL_AMOUNT_CAP";

  /**
   * The guardrail reason {@code code} when its texts are fixed (liquidation, ceased, open
   * proceeding), so that a journaled decision reads back with the texts it was answered with; null
   * for any other code. The amount cap's texts name the cap in force: {@link #amountCap(double)}.
   */
  public static PolicyRule.Reason fixedReason(String code) {
    for (PolicyRule.Reason r : List.of(CEASED, LIQUIDATION, OPEN_PROCEEDING)) {
      if (r.code().equals(code)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The reason {@code GUARDRAIL_AMOUNT_CAP} with the texts that name {@code cap}: what the answer
   * said, and what a journaled decision reads back with from the cap it recorded.
   */
  public static PolicyRule.Reason amountCap(double cap) {
    return new PolicyRule.Reason(
        AMOUNT_CAP,
        "The credit limit is capped at the platform maximum of " + whole(cap) + ".",
        "La limite de crédit est plafonnée au maximum de la plateforme, " + whole(cap) + ".");
  }

  Guardrails(PolicyLimits limits) {
    this.limits = limits;
  }

  double amountCap() {
    return limits.maxAmountCap();
  }

  /**
   * The rule's outcome held by the guardrails, with {@code amountCap} the platform cap (the one
   * configured, or in a simulation the one a journaled decision recorded); {@code exposure} is
   * passed through to the decision, for the journal.
   */
  PolicyDecision hold(
      String version,
      String ruleId,
      Recommendation recommendation,
      double maxAmount,
      double maxTerm,
      PolicyInputs in,
      List<PolicyRule.Reason> reasons,
      Double exposure,
      double amountCap) {
    if ((in.inLiquidation() || in.ceased()) && recommendation != Recommendation.REFUSE) {
      recommendation = Recommendation.REFUSE;
      reasons.add(in.ceased() ? CEASED : LIQUIDATION);
    } else if (in.openProceeding() && recommendation.compareTo(Recommendation.MANUAL_REVIEW) < 0) {
      recommendation = Recommendation.MANUAL_REVIEW;
      reasons.add(OPEN_PROCEEDING);
    }
    double amount = Double.isFinite(maxAmount) ? Math.max(0, maxAmount) : 0;
    if (amount > amountCap) {
      amount = amountCap;
      reasons.add(amountCap(amountCap));
    }
    long granted = (long) (Math.floor(amount / limits.amountRounding()) * limits.amountRounding());
    double termValue = Double.isFinite(maxTerm) ? Math.max(0, maxTerm) : 0;
    int term = (int) Math.min(Math.floor(termValue), limits.maxPaymentTermDays());
    if (recommendation == Recommendation.REFUSE) {
      return new PolicyDecision(
          version, ruleId, recommendation, 0, 0, List.copyOf(reasons), exposure, amountCap);
    }
    if (granted > 0 || term > 0) {
      if (in.amount() > granted) {
        recommendation = recommendation.atBest(limits.overLimit());
        reasons.add(
            new PolicyRule.Reason(
                "AMOUNT_ABOVE_LIMIT",
                "The amount asked ("
                    + whole(in.amount())
                    + ") is above the credit limit of "
                    + granted
                    + " for this risk level.",
                "Le montant demandé ("
                    + whole(in.amount())
                    + ") dépasse la limite de crédit de "
                    + granted
                    + " pour ce niveau de risque."));
      }
      if (in.paymentTerm() > term) {
        recommendation = recommendation.atBest(limits.overLimit());
        reasons.add(
            new PolicyRule.Reason(
                "PAYMENT_TERM_ABOVE_LIMIT",
                "The payment term asked ("
                    + in.paymentTerm()
                    + " days) is above the "
                    + term
                    + " days allowed for this risk level.",
                "Le délai de paiement demandé ("
                    + in.paymentTerm()
                    + " jours) dépasse les "
                    + term
                    + " jours admis pour ce niveau de risque."));
      }
    }
    return new PolicyDecision(
        version, ruleId, recommendation, granted, term, List.copyOf(reasons), exposure, amountCap);
  }

  static String whole(double amount) {
    return amount == Math.rint(amount) ? Long.toString((long) amount) : Double.toString(amount);
  }
}
