package io.scoregate.model;

import java.util.Locale;

/**
 * The rating grades of the master scale: ten PD bands, G1 (best) to G10. Calibration is tested per
 * grade and stability is measured over them; the policy maps a PD to the 0-100 score and the risk
 * level (see the model card for the full table).
 */
public final class Grades {

  /** Upper PD bound (exclusive) of G1..G9; G10 takes the rest. */
  private static final double[] UPPER = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.30};

  public static final int COUNT = UPPER.length + 1;

  private Grades() {}

  /** The upper PD bounds of G1..G9 (a copy). */
  public static double[] upperBounds() {
    return UPPER.clone();
  }

  /** The grade (1..10) of a PD. */
  public static int of(double pd) {
    for (int g = 0; g < UPPER.length; g++) {
      if (pd < UPPER[g]) {
        return g + 1;
      }
    }
    return COUNT;
  }

  public static String name(int grade) {
    return "G" + grade;
  }

  public static double lowerBound(int grade) {
    return grade == 1 ? 0 : UPPER[grade - 2];
  }

  public static double upperBound(int grade) {
    return grade == COUNT ? 1 : UPPER[grade - 1];
  }

  /** "0.50 % - 1.00 %" */
  public static String band(int grade) {
    return String.format(
        Locale.ROOT, "%.2f %% - %.2f %%", 100 * lowerBound(grade), 100 * upperBound(grade));
  }

  /** How many of the PDs fall in each grade (index 0 is G1). */
  public static long[] distribution(double[] pds) {
    long[] counts = new long[COUNT];
    for (double pd : pds) {
      counts[of(pd) - 1]++;
    }
    return counts;
  }
}
