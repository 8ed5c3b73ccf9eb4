package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Risk weights against the values the BCBS publishes for the corporate IRB formula. */
class BaselIrbTest {

  private final BaselIrb irb = new BaselIrb(0.0005, 0.45, 2.5);

  @Test
  void corporateRiskWeightAtOnePercentIsTheBcbsFigure() {
    // BCBS, "An Explanatory Note on the Basel II IRB Risk Weight Functions" (2005), and the
    // risk-weight tables: PD 1 %, LGD 45 %, M 2.5 -> 92.32 %.
    assertThat(100 * irb.riskWeight(0.01, null)).isCloseTo(92.32, within(0.01));
  }

  @Test
  void smeAdjustmentAtFiveMillionSalesLowersTheWeight() {
    assertThat(100 * irb.riskWeight(0.01, 5.0)).isCloseTo(72.39, within(0.01));
    // Below 5 million the sales count as 5; from 50 million there is no adjustment.
    assertThat(irb.riskWeight(0.01, 1.0)).isEqualTo(irb.riskWeight(0.01, 5.0));
    assertThat(irb.riskWeight(0.01, 50.0)).isEqualTo(irb.riskWeight(0.01, null));
    assertThat(irb.riskWeight(0.01, 27.5))
        .isStrictlyBetween(irb.riskWeight(0.01, 5.0), irb.riskWeight(0.01, null));
  }

  @Test
  void otherPublishedPoints() {
    // The same tables: PD 0.10 % -> 29.65 %, PD 5 % -> 149.86 %, PD 20 % -> 238.23 %.
    assertThat(100 * irb.riskWeight(0.001, null)).isCloseTo(29.65, within(0.01));
    assertThat(100 * irb.riskWeight(0.05, null)).isCloseTo(149.86, within(0.01));
    assertThat(100 * irb.riskWeight(0.20, null)).isCloseTo(238.23, within(0.01));
  }

  @Test
  void pdIsFlooredAndDefaultedExposuresCarryNoUnexpectedLossCapital() {
    assertThat(irb.riskWeight(0.0001, null)).isEqualTo(irb.riskWeight(0.0005, null));
    assertThat(irb.riskWeight(1.0, null)).isZero();
  }

  @Test
  void rwaIsTheWeightTimesTheExposure() {
    assertThat(irb.rwa(0.01, null, 1_000_000)).isCloseTo(923_200, within(100.0));
  }

  @Test
  void longerMaturityNeedsMoreCapital() {
    BaselIrb fiveYears = new BaselIrb(0.0005, 0.45, 5);
    assertThat(fiveYears.riskWeight(0.01, null)).isGreaterThan(irb.riskWeight(0.01, null));
  }
}
