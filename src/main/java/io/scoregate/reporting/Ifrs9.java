package io.scoregate.reporting;

/**
 * IFRS 9 expected credit loss of one exposure. The model's PD is a 12-month PD; over another
 * horizon it is converted under a constant default intensity, PD(t) = 1 - (1 - PD12)^(t / 365). ECL
 * = PD(horizon) x LGD x EAD, undiscounted (trade receivables carry no significant financing
 * component, IFRS 9 5.5.15 and IFRS 15.63).
 *
 * <ul>
 *   <li>Simplified approach (5.5.15): lifetime ECL over the remaining payment term, whatever the
 *       stage; a credit-impaired exposure has PD 1.
 *   <li>General approach (5.5.3-5.5.5): stage 1, 12-month ECL (the horizon is the shorter of 12
 *       months and the remaining term); stage 2, lifetime ECL; stage 3, lifetime ECL with PD 1.
 * </ul>
 *
 * Staging: stage 3 when credit-impaired (an open insolvency proceeding, the company ceased, or
 * {@code creditImpairedDaysPastDue} days past due); stage 2 on a significant increase in credit
 * risk since the member was added (current PD at least {@code sicrPdRatio} times the origination PD
 * and at least {@code sicrPdIncrease} above it) or {@code backstopDaysPastDue} days past due
 * (5.5.11's rebuttable 30 days); stage 1 otherwise.
 */
public final class Ifrs9 {

  /** What the staging and the loss of one exposure depend on. */
  public record Exposure(
      double pd,
      Double originationPd,
      int daysPastDue,
      boolean openProceeding,
      boolean ceased,
      int remainingTermDays,
      double lgd,
      double ead) {}

  /** The stage and both approaches' losses of one exposure. */
  public record Result(int stage, double simplifiedEcl, double generalEcl) {}

  private final double sicrPdRatio;
  private final double sicrPdIncrease;
  private final int backstopDaysPastDue;
  private final int creditImpairedDaysPastDue;

  public Ifrs9(
      double sicrPdRatio,
      double sicrPdIncrease,
      int backstopDaysPastDue,
      int creditImpairedDaysPastDue) {
    this.sicrPdRatio = sicrPdRatio;
    this.sicrPdIncrease = sicrPdIncrease;
    this.backstopDaysPastDue = backstopDaysPastDue;
    this.creditImpairedDaysPastDue = creditImpairedDaysPastDue;
  }

  /** PD over {@code days} from a 12-month PD. */
  public static double pdOver(double pd12, double days) {
    if (pd12 >= 1) {
      return 1;
    }
    return 1 - Math.pow(1 - Math.max(0, pd12), Math.max(0, days) / 365.0);
  }

  public int stage(Exposure e) {
    if (e.openProceeding() || e.ceased() || e.daysPastDue() >= creditImpairedDaysPastDue) {
      return 3;
    }
    if (e.daysPastDue() >= backstopDaysPastDue) {
      return 2;
    }
    if (e.originationPd() != null
        && e.pd() >= sicrPdRatio * e.originationPd()
        && e.pd() - e.originationPd() >= sicrPdIncrease) {
      return 2;
    }
    return 1;
  }

  public Result evaluate(Exposure e) {
    int stage = stage(e);
    double lossIfDefault = e.lgd() * e.ead();
    double lifetimePd = stage == 3 ? 1 : pdOver(e.pd(), e.remainingTermDays());
    double generalPd =
        switch (stage) {
          case 1 -> pdOver(e.pd(), Math.min(365, e.remainingTermDays()));
          case 2 -> lifetimePd;
          default -> 1;
        };
    return new Result(stage, lifetimePd * lossIfDefault, generalPd * lossIfDefault);
  }
}
