package io.scoregate.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact TreeSHAP contributions read from tables built once per model, after the second algorithm of
 * Yang, "Fast TreeSHAP" (2021). In path-dependent TreeSHAP a leaf adds to each feature split on its
 * path an amount that depends on the sample only through which of the path's features the sample
 * follows (its "one fractions", each 0 or 1). With trees of depth d a leaf has at most d such
 * features, so the amounts for all 2^d patterns are computed here once, with the same arithmetic as
 * {@link TreeEnsemble}'s Algorithm 2; a sample then costs, per leaf, its path's comparisons and d
 * additions, instead of the walk of every path with its O(d^2) polynomial updates.
 */
final class LeafContributions {

  private final int featureCount;
  // Per leaf l, in the trees' order: its conditions are [conditionStart[l], conditionStart[l + 1])
  private final int[] conditionStart;
  private final int[] conditionFeature;
  private final float[] conditionThreshold;
  private final boolean[] conditionDefaultLeft;
  private final boolean[] conditionLeft; // the path goes left at this split
  private final int[] conditionSlot; // which of the leaf's distinct features it is about
  // ... and its distinct features are [featureStart[l], featureStart[l + 1]).
  private final int[] featureStart;
  private final int[] pathFeature;
  // The amounts of leaf l for pattern b start at tableStart[l] + b * (its feature count).
  private final int[] tableStart;
  private final double[] table;

  private LeafContributions(
      int featureCount,
      List<int[]> conditions,
      List<int[]> features,
      List<double[]> tables,
      TreeEnsemble trees) {
    this.featureCount = featureCount;
    int leaves = conditions.size();
    conditionStart = new int[leaves + 1];
    featureStart = new int[leaves + 1];
    tableStart = new int[leaves];
    int nc = 0;
    int nf = 0;
    int nt = 0;
    for (int l = 0; l < leaves; l++) {
      nc += conditions.get(l).length / 3;
      nf += features.get(l).length;
      tableStart[l] = nt;
      nt += tables.get(l).length;
      conditionStart[l + 1] = nc;
      featureStart[l + 1] = nf;
    }
    conditionFeature = new int[nc];
    conditionThreshold = new float[nc];
    conditionDefaultLeft = new boolean[nc];
    conditionLeft = new boolean[nc];
    conditionSlot = new int[nc];
    pathFeature = new int[nf];
    table = new double[nt];
    for (int l = 0; l < leaves; l++) {
      int[] c = conditions.get(l);
      for (int k = 0; k < c.length / 3; k++) {
        int at = conditionStart[l] + k;
        int node = c[3 * k];
        conditionFeature[at] = trees.feature[node];
        conditionThreshold[at] = trees.threshold[node];
        conditionDefaultLeft[at] = trees.defaultLeft[node];
        conditionLeft[at] = c[3 * k + 1] == 1;
        conditionSlot[at] = c[3 * k + 2];
      }
      System.arraycopy(features.get(l), 0, pathFeature, featureStart[l], features.get(l).length);
      System.arraycopy(tables.get(l), 0, table, tableStart[l], tables.get(l).length);
    }
  }

  /**
   * The tables of these trees, or null when they would hold more than {@code maxEntries} amounts
   * (deep trees: 2^d patterns per leaf), in which case the caller walks the paths instead.
   */
  static LeafContributions build(int featureCount, TreeEnsemble trees, long maxEntries) {
    List<int[]> conditions = new ArrayList<>();
    List<int[]> features = new ArrayList<>();
    List<double[]> tables = new ArrayList<>();
    long[] entries = {0};
    for (int root : trees.roots) {
      if (!leaves(
          trees, root, new ArrayList<>(), conditions, features, tables, entries, maxEntries)) {
        return null;
      }
    }
    return new LeafContributions(featureCount, conditions, features, tables, trees);
  }

  /** Depth first, each leaf's conditions, distinct features and table; false past the budget. */
  private static boolean leaves(
      TreeEnsemble t,
      int node,
      List<int[]> path, // {node, 1 when the path goes left there}
      List<int[]> conditions,
      List<int[]> features,
      List<double[]> tables,
      long[] entries,
      long maxEntries) {
    if (t.feature[node] >= 0) {
      path.add(new int[] {node, 1});
      boolean fits =
          leaves(t, t.left[node], path, conditions, features, tables, entries, maxEntries);
      path.set(path.size() - 1, new int[] {node, 0});
      fits =
          fits && leaves(t, t.right[node], path, conditions, features, tables, entries, maxEntries);
      path.remove(path.size() - 1);
      return fits;
    }
    int[] distinct = new int[path.size()];
    double[] zero = new double[path.size()];
    int[] condition = new int[3 * path.size()];
    int m = 0;
    for (int k = 0; k < path.size(); k++) {
      int split = path.get(k)[0];
      boolean wentLeft = path.get(k)[1] == 1;
      int child = wentLeft ? t.left[split] : t.right[split];
      int slot = 0;
      while (slot < m && distinct[slot] != t.feature[split]) {
        slot++;
      }
      if (slot == m) {
        distinct[m] = t.feature[split];
        zero[m++] = 1;
      }
      zero[slot] *= t.cover[child] / t.cover[split];
      condition[3 * k] = split;
      condition[3 * k + 1] = wentLeft ? 1 : 0;
      condition[3 * k + 2] = slot;
    }
    if (m > 20) {
      return false;
    }
    int patterns = 1 << m;
    entries[0] += (long) patterns * m;
    if (entries[0] > maxEntries) {
      return false;
    }
    double[] amounts = new double[patterns * m];
    TreeEnsemble.Path p =
        new TreeEnsemble.Path(
            new int[m + 1], new double[m + 1], new double[m + 1], new double[m + 1]);
    for (int pattern = 0; pattern < patterns; pattern++) {
      TreeEnsemble.extend(p, 0, 0, 1, 1, -1);
      for (int j = 0; j < m; j++) {
        TreeEnsemble.extend(p, 0, j + 1, zero[j], (pattern >> j) & 1, distinct[j]);
      }
      for (int i = 1; i <= m; i++) {
        double w = TreeEnsemble.unwoundSum(p, 0, m, i);
        amounts[pattern * m + i - 1] = w * (p.one()[i] - p.zero()[i]) * t.value[node];
      }
    }
    conditions.add(condition);
    features.add(Arrays.copyOf(distinct, m));
    tables.add(amounts);
    return true;
  }

  /** {@code phi[i]}: feature i's contribution to the margin, as {@link TreeEnsemble#shap}. */
  double[] shap(double[] x) {
    double[] phi = new double[featureCount];
    int leaves = tableStart.length;
    for (int l = 0; l < leaves; l++) {
      int first = featureStart[l];
      int m = featureStart[l + 1] - first;
      int pattern = (1 << m) - 1;
      for (int c = conditionStart[l]; c < conditionStart[l + 1]; c++) {
        double v = x[conditionFeature[c]];
        boolean goLeft =
            Double.isNaN(v) ? conditionDefaultLeft[c] : (float) v < conditionThreshold[c];
        // without a branch: which way a company goes is as good as random
        pattern &= ~((goLeft == conditionLeft[c] ? 0 : 1) << conditionSlot[c]);
      }
      int at = tableStart[l] + pattern * m;
      for (int j = 0; j < m; j++) {
        phi[pathFeature[first + j]] += table[at + j];
      }
    }
    return phi;
  }
}
