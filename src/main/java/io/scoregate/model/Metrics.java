package io.scoregate.model;

import java.util.Arrays;
import java.util.Comparator;

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

  private static Integer[] sortedIndexes(double[] score) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    return order;
  }
}
