package io.scoregate.model;

import java.util.Arrays;

/**
 * Gradient-boosted trees flattened into primitive arrays, evaluated in plain Java: no native code
 * and no allocation per prediction. Splits follow XGBoost exactly: the feature is compared as a
 * float ({@code x < threshold} goes left) and a missing value (NaN) takes the node's default
 * branch.
 *
 * <p>{@link #shap} gives exact TreeSHAP contributions (Lundberg et al., "Consistent Individualized
 * Feature Attribution for Tree Ensembles", Algorithm 2), with node covers as weights, so that the
 * expected margin plus the contributions equals the margin. For trees shallow enough, the amounts
 * each leaf adds are tabulated once ({@link LeafContributions}), so that a company costs its paths'
 * comparisons rather than the walk of Algorithm 2.
 */
public final class TreeEnsemble {

  /** At most 4 Mi amounts (32 MiB) of precomputed contributions per ensemble. */
  private static final long MAX_TABLE_ENTRIES = 1L << 22;

  private final int featureCount;
  final int[] roots;
  final int[] feature; // -1 for a leaf
  final float[] threshold;
  final int[] left;
  final int[] right;
  final boolean[] defaultLeft;
  final double[] value; // leaf value
  final double[] cover;
  private final double baseMargin;
  private final double expectedMargin;
  private final int maxDepth;
  private final LeafContributions tables; // null: the paths are walked

  /** Trees given node by node; {@code roots[t]} is the index of tree t's root in the arrays. */
  public TreeEnsemble(
      int featureCount,
      int[] roots,
      int[] feature,
      float[] threshold,
      int[] left,
      int[] right,
      boolean[] defaultLeft,
      double[] value,
      double[] cover,
      double baseMargin) {
    this.featureCount = featureCount;
    this.roots = roots.clone();
    this.feature = feature.clone();
    this.threshold = threshold.clone();
    this.left = left.clone();
    this.right = right.clone();
    this.defaultLeft = defaultLeft.clone();
    this.value = value.clone();
    this.cover = cover.clone();
    this.baseMargin = baseMargin;
    double expected = baseMargin;
    int depth = 0;
    for (int root : roots) {
      expected += meanValue(root);
      depth = Math.max(depth, depth(root));
    }
    this.expectedMargin = expected;
    this.maxDepth = depth;
    this.tables = LeafContributions.build(featureCount, this, MAX_TABLE_ENTRIES);
  }

  public int featureCount() {
    return featureCount;
  }

  /** The margin (log-odds) before any tree: XGBoost's base score. */
  public double baseMargin() {
    return baseMargin;
  }

  /** The cover-weighted mean margin of the training data: the origin of the contributions. */
  public double expectedMargin() {
    return expectedMargin;
  }

  /** The raw margin (log-odds of default) for one company. */
  public double margin(double[] x) {
    double sum = baseMargin;
    for (int root : roots) {
      sum += value[leaf(root, x)];
    }
    return sum;
  }

  private int leaf(int node, double[] x) {
    int n = node;
    while (feature[n] >= 0) {
      double v = x[feature[n]];
      boolean goLeft = Double.isNaN(v) ? defaultLeft[n] : (float) v < threshold[n];
      n = goLeft ? left[n] : right[n];
    }
    return n;
  }

  /**
   * Exact TreeSHAP: {@code phi[i]} is feature i's contribution to the margin, and {@code
   * expectedMargin() + sum(phi) == margin(x)}.
   */
  public double[] shap(double[] x) {
    return tables == null ? shapByPaths(x) : tables.shap(x);
  }

  /** Whether {@link #shap} reads tabulated amounts (else it walks the paths). */
  boolean tabulated() {
    return tables != null;
  }

  /** {@link #shap} by Algorithm 2 itself: each tree's paths walked for this company. */
  double[] shapByPaths(double[] x) {
    double[] phi = new double[featureCount];
    int pathSize = (maxDepth + 2) * (maxDepth + 3) / 2;
    int[] pathFeature = new int[pathSize];
    double[] zero = new double[pathSize];
    double[] one = new double[pathSize];
    double[] weight = new double[pathSize];
    Path path = new Path(pathFeature, zero, one, weight);
    for (int root : roots) {
      recurse(x, phi, path, root, 0, 0, 1, 1, -1);
    }
    return phi;
  }

  /** The unique path of Algorithm 2, as parallel arrays; each depth works on its own slice. */
  record Path(int[] feature, double[] zero, double[] one, double[] weight) {}

  private void recurse(
      double[] x,
      double[] phi,
      Path p,
      int node,
      int start,
      int depth,
      double parentZero,
      double parentOne,
      int parentFeature) {
    // This call's slice starts after the parent's, which has depth entries.
    int at = start + depth;
    if (depth > 0) {
      System.arraycopy(p.feature, start, p.feature, at, depth);
      System.arraycopy(p.zero, start, p.zero, at, depth);
      System.arraycopy(p.one, start, p.one, at, depth);
      System.arraycopy(p.weight, start, p.weight, at, depth);
    }
    extend(p, at, depth, parentZero, parentOne, parentFeature);
    if (feature[node] < 0) {
      for (int i = 1; i <= depth; i++) {
        double w = unwoundSum(p, at, depth, i);
        phi[p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * value[node];
      }
      return;
    }
    int split = feature[node];
    double v = x[split];
    boolean goLeft = Double.isNaN(v) ? defaultLeft[node] : (float) v < threshold[node];
    int hot = goLeft ? left[node] : right[node];
    int cold = goLeft ? right[node] : left[node];
    double hotZero = cover[hot] / cover[node];
    double coldZero = cover[cold] / cover[node];
    double incomingZero = 1;
    double incomingOne = 1;
    int uniqueDepth = depth;
    // A feature already on the path is unwound, so that it counts once with the combined fractions.
    for (int k = 0; k <= uniqueDepth; k++) {
      if (p.feature[at + k] == split) {
        incomingZero = p.zero[at + k];
        incomingOne = p.one[at + k];
        unwind(p, at, uniqueDepth, k);
        uniqueDepth--;
        break;
      }
    }
    recurse(x, phi, p, hot, at, uniqueDepth + 1, hotZero * incomingZero, incomingOne, split);
    recurse(x, phi, p, cold, at, uniqueDepth + 1, coldZero * incomingZero, 0, split);
  }

  static void extend(Path p, int at, int depth, double zero, double one, int feature) {
    p.feature[at + depth] = feature;
    p.zero[at + depth] = zero;
    p.one[at + depth] = one;
    p.weight[at + depth] = depth == 0 ? 1 : 0;
    for (int i = depth - 1; i >= 0; i--) {
      p.weight[at + i + 1] += one * p.weight[at + i] * (i + 1) / (depth + 1);
      p.weight[at + i] = zero * p.weight[at + i] * (depth - i) / (depth + 1);
    }
  }

  private static void unwind(Path p, int at, int depth, int index) {
    double one = p.one[at + index];
    double zero = p.zero[at + index];
    double next = p.weight[at + depth];
    for (int i = depth - 1; i >= 0; i--) {
      if (one != 0) {
        double tmp = p.weight[at + i];
        p.weight[at + i] = next * (depth + 1) / ((i + 1) * one);
        next = tmp - p.weight[at + i] * zero * (depth - i) / (depth + 1);
      } else {
        p.weight[at + i] = p.weight[at + i] * (depth + 1) / (zero * (depth - i));
      }
    }
    for (int i = index; i < depth; i++) {
      p.feature[at + i] = p.feature[at + i + 1];
      p.zero[at + i] = p.zero[at + i + 1];
      p.one[at + i] = p.one[at + i + 1];
    }
  }

  static double unwoundSum(Path p, int at, int depth, int index) {
    double one = p.one[at + index];
    double zero = p.zero[at + index];
    double next = p.weight[at + depth];
    double total = 0;
    for (int i = depth - 1; i >= 0; i--) {
      if (one != 0) {
        double tmp = next * (depth + 1) / ((i + 1) * one);
        total += tmp;
        next = p.weight[at + i] - tmp * zero * (depth - i) / (double) (depth + 1);
      } else {
        total += (p.weight[at + i] / zero) / ((depth - i) / (double) (depth + 1));
      }
    }
    return total;
  }

  private double meanValue(int node) {
    if (feature[node] < 0) {
      return value[node];
    }
    return (cover[left[node]] * meanValue(left[node]) + cover[right[node]] * meanValue(right[node]))
        / cover[node];
  }

  private int depth(int node) {
    return feature[node] < 0 ? 0 : 1 + Math.max(depth(left[node]), depth(right[node]));
  }

  @Override
  public String toString() {
    return "TreeEnsemble["
        + roots.length
        + " trees, depth "
        + maxDepth
        + ", "
        + featureCount
        + " features, roots "
        + Arrays.toString(Arrays.copyOf(roots, Math.min(3, roots.length)))
        + "...]";
  }
}
