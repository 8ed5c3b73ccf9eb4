package io.scoregate.model;

/**
 * Platt scaling: {@code pd = 1 / (1 + exp(-(a * margin + b)))}, fitted on out-of-fold margins so
 * that predicted default rates match observed ones. With {@code a > 0} the PD is monotone in the
 * margin, so the ranking (and the AUC) of the trees is kept.
 */
public record Calibration(double a, double b) {

  public double pd(double margin) {
    return 1.0 / (1.0 + Math.exp(-(a * margin + b)));
  }

  /** Fits a and b by Newton's method on the log-loss, with Platt's smoothed targets. */
  public static Calibration fit(double[] margins, int[] labels) {
    int positives = 0;
    for (int y : labels) {
      positives += y;
    }
    int negatives = labels.length - positives;
    double hi = (positives + 1.0) / (positives + 2.0);
    double lo = 1.0 / (negatives + 2.0);
    double a = 1;
    double b = 0;
    for (int iter = 0; iter < 100; iter++) {
      double g1 = 0;
      double g2 = 0;
      double h11 = 1e-12;
      double h22 = 1e-12;
      double h12 = 0;
      for (int i = 0; i < margins.length; i++) {
        double t = labels[i] == 1 ? hi : lo;
        double p = 1.0 / (1.0 + Math.exp(-(a * margins[i] + b)));
        double d = p - t;
        double w = p * (1 - p);
        g1 += d * margins[i];
        g2 += d;
        h11 += w * margins[i] * margins[i];
        h22 += w;
        h12 += w * margins[i];
      }
      double det = h11 * h22 - h12 * h12;
      double da = (h22 * g1 - h12 * g2) / det;
      double db = (h11 * g2 - h12 * g1) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new Calibration(a, b);
  }
}
