package io.scoregate.model;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.statistics.distribution.BetaDistribution;

/** Discrimination and calibration measures of a set of scores against observed defaults. */
public final class Metrics {

  private Metrics() {}

  /** Area under the ROC curve (Mann-Whitney U, ties counted half). */
  public static double auc(double[] score, int[] label) {
    Integer[] order = sortedIndexes(score);
    double rankSumPositives = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // 1-based ranks, ties share their mean
      for (int k = i; k <= j; k++) {
        if (label[order[k]] == 1) {
          rankSumPositives += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = label.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0)
        / ((double) positives * negatives);
  }

  public static double gini(double auc) {
    return 2 * auc - 1;
  }

  /** Kolmogorov-Smirnov: the largest gap between the score distributions of defaults and others. */
  public static double ks(double[] score, int[] label) {
    Integer[] order = sortedIndexes(score);
    long positives = Arrays.stream(label).filter(y -> y == 1).count();
    long negatives = label.length - positives;
    double best = 0;
    double cumPositive = 0;
    double cumNegative = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        if (label[order[j]] == 1) {
          cumPositive++;
        } else {
          cumNegative++;
        }
        j++;
      }
      best = Math.max(best, Math.abs(cumPositive / positives - cumNegative / negatives));
      i = j;
    }
    return best;
  }

  /** Mean squared error of predicted probabilities. */
  public static double brier(double[] probability, int[] label) {
    double sum = 0;
    for (int i = 0; i < label.length; i++) {
      double d = probability[i] - label[i];
      sum += d * d;
    }
    return sum / label.length;
  }

  /**
   * The AUC with DeLong's variance (DeLong, DeLong and Clarke-Pearson, 1988) and a 95 % interval,
   * computed on the logit scale so that it stays inside [0, 1].
   */
  public static Interval aucWithInterval(double[] score, int[] label) {
    int m = 0;
    for (int y : label) {
      m += y;
    }
    int n = label.length - m;
    double[] pos = new double[m];
    double[] neg = new double[n];
    for (int i = 0, p = 0, q = 0; i < label.length; i++) {
      if (label[i] == 1) {
        pos[p++] = score[i];
      } else {
        neg[q++] = score[i];
      }
    }
    if (m < 2 || n < 2) {
      return new Interval(auc(score, label), Double.NaN, Double.NaN);
    }
    // Structural components: for a default, the share of non-defaults it outranks; for a
    // non-default, the share of defaults that outrank it (ties count half).
    double[] sortedNeg = neg.clone();
    double[] sortedPos = pos.clone();
    Arrays.sort(sortedNeg);
    Arrays.sort(sortedPos);
    double[] v10 = new double[m];
    double[] v01 = new double[n];
    for (int i = 0; i < m; i++) {
      v10[i] = (countBelow(sortedNeg, pos[i]) + 0.5 * countEqual(sortedNeg, pos[i])) / n;
    }
    for (int j = 0; j < n; j++) {
      v01[j] = (m - countBelow(sortedPos, neg[j]) - 0.5 * countEqual(sortedPos, neg[j])) / m;
    }
    double auc = Arrays.stream(v10).average().orElse(Double.NaN);
    double variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
    double logit = Math.log(auc / (1 - auc));
    double se = Math.sqrt(variance) / (auc * (1 - auc));
    return new Interval(auc, expit(logit - Z95 * se), expit(logit + Z95 * se));
  }

  /** A point estimate with its 95 % interval. */
  public record Interval(double value, double low, double high) {}

  static final double Z95 = 1.959963984540054;

  /**
   * Jeffreys interval for a default rate: the 2.5 % and 97.5 % quantiles of Beta(d + 1/2, n - d +
   * 1/2), the prior the ECB and EBA use for PD back-testing.
   */
  public static Interval jeffreys(int defaults, int n) {
    double a = defaults + 0.5;
    double b = n - defaults + 0.5;
    double rate = n == 0 ? Double.NaN : (double) defaults / n;
    return new Interval(rate, betaQuantile(0.025, a, b), betaQuantile(0.975, a, b));
  }

  /**
   * One-sided Jeffreys test of a grade's predicted PD: the probability, under Beta(d + 1/2, n - d +
   * 1/2), of a default rate at or below the predicted PD. A small value says the model
   * underestimates the risk of the grade.
   */
  public static double jeffreysPValue(int defaults, int n, double predictedPd) {
    return regularizedBeta(predictedPd, defaults + 0.5, n - defaults + 0.5);
  }

  /**
   * Population stability index of {@code actual} against {@code expected}, both as counts over the
   * same bins; empty bins count as half an observation so that the logarithm stays finite.
   */
  public static double psi(long[] expected, long[] actual) {
    double e = Arrays.stream(expected).sum();
    double a = Arrays.stream(actual).sum();
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double pe = Math.max(expected[i], 0.5) / e;
      double pa = Math.max(actual[i], 0.5) / a;
      psi += (pa - pe) * Math.log(pa / pe);
    }
    return psi;
  }

  /** The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x. */
  static double regularizedBeta(double x, double a, double b) {
    return BetaDistribution.of(a, b).cumulativeProbability(x);
  }

  /** The p-quantile of Beta(a, b). */
  static double betaQuantile(double p, double a, double b) {
    return BetaDistribution.of(a, b).inverseCumulativeProbability(p);
  }

  private static int countBelow(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int countEqual(double[] sorted, double v) {
    int first = countBelow(sorted, v);
    int last = first;
    while (last < sorted.length && sorted[last] == v) {
      last++;
    }
    return last - first;
  }

  private static double sampleVariance(double[] v) {
    double mean = Arrays.stream(v).average().orElse(0);
    double sum = 0;
    for (double x : v) {
      sum += (x - mean) * (x - mean);
    }
    return sum / (v.length - 1);
  }

  private static double expit(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static Integer[] sortedIndexes(double[] score) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    return order;
  }
}
