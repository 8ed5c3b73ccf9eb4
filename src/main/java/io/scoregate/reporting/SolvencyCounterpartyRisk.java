package io.scoregate.reporting;

import java.util.List;

/**
 * Solvency II counterparty default risk of type 1 exposures (Delegated Regulation (EU) 2015/35,
 * articles 200 and 201). Exposures are grouped by probability of default; for each group j with PD
 * p_j, TLGD_j is the sum of its losses-given-default and SLGD_j the sum of their squares.
 *
 * <pre>
 * V_inter = sum over j, k of  p_j (1 - p_j) p_k (1 - p_k) / (1.25 (p_j + p_k) - p_j p_k)  x TLGD_j x TLGD_k
 * V_intra = sum over j of     1.5 p_j (1 - p_j) / (2.5 - p_j)  x SLGD_j
 * V = V_inter + V_intra
 * SCR = 3 sqrt(V)        if sqrt(V) <= 7 % of the total LGD
 *       5 sqrt(V)        if 7 % < sqrt(V) <= 20 % of the total LGD
 *       the total LGD    otherwise
 * </pre>
 *
 * LGD here is an amount (EAD x loss rate), as in article 192.
 */
public final class SolvencyCounterpartyRisk {

  /** One group of exposures sharing a probability of default. */
  public record Group(double pd, double totalLgd, double sumOfSquaredLgd) {}

  /** The variance of the loss distribution, its square root and the capital requirement. */
  public record Result(double variance, double standardDeviation, double totalLgd, double scr) {}

  private SolvencyCounterpartyRisk() {}

  public static Result of(List<Group> groups) {
    double inter = 0;
    double intra = 0;
    double totalLgd = 0;
    for (Group j : groups) {
      totalLgd += j.totalLgd();
      double uj = j.pd() * (1 - j.pd());
      intra += 1.5 * uj / (2.5 - j.pd()) * j.sumOfSquaredLgd();
      for (Group k : groups) {
        double denominator = 1.25 * (j.pd() + k.pd()) - j.pd() * k.pd();
        if (denominator > 0) {
          inter += uj * k.pd() * (1 - k.pd()) / denominator * j.totalLgd() * k.totalLgd();
        }
      }
    }
    double variance = inter + intra;
    double sd = Math.sqrt(variance);
    double scr;
    if (sd <= 0.07 * totalLgd) {
      scr = 3 * sd;
    } else if (sd <= 0.2 * totalLgd) {
      scr = 5 * sd;
    } else {
      scr = totalLgd;
    }
    return new Result(variance, sd, totalLgd, scr);
  }
}
