package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeEnsembleTest {

  /**
   * One tree on two features: x0 < 0.5 ? (x1 < 0.5 ? 1 : 2) : 4, covers 100 = 60 (30 + 30) + 40.
   * Missing x0 goes left, missing x1 goes right.
   */
  private static TreeEnsemble tinyTree() {
    return new TreeEnsemble(
        2,
        new int[] {0},
        new int[] {0, 1, -1, -1, -1},
        new float[] {0.5f, 0.5f, 0, 0, 0},
        new int[] {1, 3, -1, -1, -1},
        new int[] {2, 4, -1, -1, -1},
        new boolean[] {true, false, false, false, false},
        new double[] {0, 0, 4, 1, 2},
        new double[] {100, 60, 40, 30, 30},
        0.25);
  }

  @Test
  void marginsFollowTheSplitsAndMissingValuesTakeTheDefaultBranch() {
    TreeEnsemble t = tinyTree();
    assertThat(t.margin(new double[] {0, 0})).isEqualTo(1.25);
    assertThat(t.margin(new double[] {0, 1})).isEqualTo(2.25);
    assertThat(t.margin(new double[] {1, 0})).isEqualTo(4.25);
    assertThat(t.margin(new double[] {Double.NaN, 0})).isEqualTo(1.25);
    assertThat(t.margin(new double[] {0, Double.NaN})).isEqualTo(2.25);
    // The comparison is in float, as XGBoost's: 0.49999999 rounds to 0.5f and goes right.
    assertThat(t.margin(new double[] {0.49999999, 0})).isEqualTo(4.25);
  }

  @Test
  void shapMatchesTheHandComputedShapleyValues() {
    TreeEnsemble t = tinyTree();
    // E[f] = 0.3*1 + 0.3*2 + 0.4*4 = 2.5; for x = (0, 0), f = 1.
    // Coalitions: v({}) = 2.5, v({0}) = (1+2)/2 = 1.5, v({1}) = 0.6*1 + 0.4*4 = 2.2, v({0,1}) = 1.
    // phi0 = ((1.5 - 2.5) + (1 - 2.2)) / 2 = -1.1 ; phi1 = ((2.2 - 2.5) + (1 - 1.5)) / 2 = -0.4
    double[] phi = t.shap(new double[] {0, 0});
    assertThat(t.expectedMargin()).isCloseTo(2.75, within(1e-12));
    assertThat(phi[0]).isCloseTo(-1.1, within(1e-12));
    assertThat(phi[1]).isCloseTo(-0.4, within(1e-12));
  }

  @Test
  void aFeatureUsedTwiceOnAPathIsCountedOnce() {
    // x0 < 0.5 ? (x0 < 0.2 ? 1 : 3) : 5 with covers 100 = 50 (25 + 25) + 50.
    TreeEnsemble t =
        new TreeEnsemble(
            1,
            new int[] {0},
            new int[] {0, 0, -1, -1, -1},
            new float[] {0.5f, 0.2f, 0, 0, 0},
            new int[] {1, 3, -1, -1, -1},
            new int[] {2, 4, -1, -1, -1},
            new boolean[] {true, true, false, false, false},
            new double[] {0, 0, 5, 1, 3},
            new double[] {100, 50, 50, 25, 25},
            0);
    double[] x = {0.1};
    assertThat(t.expectedMargin() + t.shap(x)[0]).isCloseTo(t.margin(x), within(1e-12));
    assertThat(t.shap(x)[0]).isCloseTo(1 - 3.5, within(1e-12));
  }

  @Test
  void tabulatedContributionsEqualThePathWalkOnRandomTrees() {
    Random random = new Random(20261202);
    for (int e = 0; e < 50; e++) {
      // Few features and deep trees: features repeat on paths, some several times.
      int features = 1 + random.nextInt(4);
      TreeEnsemble t =
          randomEnsemble(random, features, 1 + random.nextInt(6), 1 + random.nextInt(8));
      assertThat(t.tabulated()).isTrue();
      for (int s = 0; s < 200; s++) {
        double[] x = new double[features];
        for (int i = 0; i < features; i++) {
          x[i] = random.nextInt(8) == 0 ? Double.NaN : random.nextDouble();
        }
        double[] tabulated = t.shap(x);
        double[] walked = t.shapByPaths(x);
        double sum = t.expectedMargin();
        for (int i = 0; i < features; i++) {
          assertThat(tabulated[i]).isCloseTo(walked[i], within(1e-9));
          sum += tabulated[i];
        }
        assertThat(sum).isCloseTo(t.margin(x), within(1e-9));
      }
    }
  }

  /** Trees of random splits on [0, 1) features, covers halved unevenly at each split. */
  private static TreeEnsemble randomEnsemble(Random random, int features, int depth, int trees) {
    RandomTrees grown = new RandomTrees(random, features);
    int[] roots = new int[trees];
    for (int k = 0; k < trees; k++) {
      roots[k] = grown.grow(depth, 1000);
    }
    return grown.ensemble(roots, random.nextGaussian());
  }

  /** The nodes of random trees, grown depth first. */
  private static final class RandomTrees {
    private final Random random;
    private final int features;
    private final List<Integer> feature = new ArrayList<>();
    private final List<Float> threshold = new ArrayList<>();
    private final List<Integer> left = new ArrayList<>();
    private final List<Integer> right = new ArrayList<>();
    private final List<Boolean> defaultLeft = new ArrayList<>();
    private final List<Double> value = new ArrayList<>();
    private final List<Double> cover = new ArrayList<>();

    RandomTrees(Random random, int features) {
      this.random = random;
      this.features = features;
    }

    int grow(int depth, double covered) {
      int node = feature.size();
      boolean leaf = depth == 0 || random.nextInt(5) == 0;
      feature.add(leaf ? -1 : random.nextInt(features));
      threshold.add(leaf ? 0f : random.nextFloat());
      left.add(-1);
      right.add(-1);
      defaultLeft.add(random.nextBoolean());
      value.add(leaf ? random.nextGaussian() : 0);
      cover.add(covered);
      if (!leaf) {
        double share = 0.1 + 0.8 * random.nextDouble();
        left.set(node, grow(depth - 1, covered * share));
        right.set(node, grow(depth - 1, covered * (1 - share)));
      }
      return node;
    }

    TreeEnsemble ensemble(int[] roots, double baseMargin) {
      int n = feature.size();
      float[] th = new float[n];
      boolean[] dl = new boolean[n];
      for (int i = 0; i < n; i++) {
        th[i] = threshold.get(i);
        dl[i] = defaultLeft.get(i);
      }
      return new TreeEnsemble(
          features,
          roots,
          feature.stream().mapToInt(Integer::intValue).toArray(),
          th,
          left.stream().mapToInt(Integer::intValue).toArray(),
          right.stream().mapToInt(Integer::intValue).toArray(),
          dl,
          value.stream().mapToDouble(Double::doubleValue).toArray(),
          cover.stream().mapToDouble(Double::doubleValue).toArray(),
          baseMargin);
    }
  }
}
