package io.scoregate.reporting;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Risk-weighted assets of a corporate exposure under the Basel III foundation IRB approach (BCBS,
 * CRE31.4-31.9): asset correlation from the PD (with the firm-size adjustment for SMEs), maturity
 * adjustment, capital requirement K, and RWA = 12.5 x K x EAD. The PD is floored first; LGD and M
 * are the configured supervisory values.
 */
public final class BaselIrb {

  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
  private static final double G_999 = STANDARD_NORMAL.inverseCumulativeProbability(0.999);

  /** Annual sales (EUR million) at or below which the SME adjustment is at its largest. */
  private static final double SME_SALES_FLOOR = 5;

  /** Annual sales (EUR million) from which a firm is no longer an SME for the correlation. */
  private static final double SME_SALES_CAP = 50;

  private final double pdFloor;
  private final double lgd;
  private final double maturityYears;

  public BaselIrb(double pdFloor, double lgd, double maturityYears) {
    if (pdFloor <= 0 || pdFloor >= 1 || lgd < 0 || lgd > 1 || maturityYears < 1) {
      throw new IllegalArgumentException("PD floor in (0,1), LGD in [0,1], M >= 1 year");
    }
    this.pdFloor = pdFloor;
    this.lgd = lgd;
    this.maturityYears = maturityYears;
  }

  /**
   * The asset correlation R. {@code salesMillions} null (or at least 50) means no firm-size
   * adjustment; below 5 it counts as 5 (CRE31.9).
   */
  public static double correlation(double pd, Double salesMillions) {
    double weight = (1 - Math.exp(-50 * pd)) / (1 - Math.exp(-50));
    double r = 0.12 * weight + 0.24 * (1 - weight);
    if (salesMillions != null && salesMillions < SME_SALES_CAP) {
      double s = Math.max(SME_SALES_FLOOR, salesMillions);
      r -= 0.04 * (1 - (s - SME_SALES_FLOOR) / (SME_SALES_CAP - SME_SALES_FLOOR));
    }
    return r;
  }

  /** K per unit of EAD, with the configured LGD and M. */
  public double capitalRequirement(double pd, Double salesMillions) {
    double p = Math.max(pdFloor, Math.min(1, pd));
    if (p >= 1) {
      // Defaulted: the IRB formula gives K = max(0, LGD - EL best estimate); with the F-IRB
      // supervisory LGD and no separate best estimate, that is 0 (the loss is provisioned).
      return 0;
    }
    double r = correlation(p, salesMillions);
    double b = Math.pow(0.11852 - 0.05478 * Math.log(p), 2);
    double conditional =
        STANDARD_NORMAL.cumulativeProbability(
            (STANDARD_NORMAL.inverseCumulativeProbability(p) + Math.sqrt(r) * G_999)
                / Math.sqrt(1 - r));
    return (lgd * conditional - p * lgd) * (1 + (maturityYears - 2.5) * b) / (1 - 1.5 * b);
  }

  /** The risk weight (1.0 = 100 %). */
  public double riskWeight(double pd, Double salesMillions) {
    return 12.5 * capitalRequirement(pd, salesMillions);
  }

  public double rwa(double pd, Double salesMillions, double ead) {
    return riskWeight(pd, salesMillions) * ead;
  }
}
