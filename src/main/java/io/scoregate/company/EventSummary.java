package io.scoregate.company;

import java.time.LocalDate;

/**
 * What a company's events say at scoring time: the most severe open insolvency proceeding (null
 * when there is none) and the payment incidents of the look-back window.
 */
public record EventSummary(
    String openProceedingKind,
    LocalDate proceedingSince,
    int recentIncidents,
    double recentIncidentAmount,
    int maxDaysLate) {

  public static final EventSummary NONE = new EventSummary(null, null, 0, 0, 0);

  public boolean inLiquidation() {
    return "liquidation_judiciaire".equals(openProceedingKind);
  }

  public boolean hasOpenProceeding() {
    return openProceedingKind != null;
  }
}
