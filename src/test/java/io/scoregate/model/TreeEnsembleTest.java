package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
