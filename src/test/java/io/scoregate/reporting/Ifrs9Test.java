package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Ifrs9Test {

  private final Ifrs9 ifrs9 = new Ifrs9(2.0, 0.005, 30, 90);

  private static Ifrs9.Exposure exposure(
      double pd, Double originationPd, int daysPastDue, int termDays) {
    return new Ifrs9.Exposure(pd, originationPd, daysPastDue, false, false, termDays, 0.45, 10_000);
  }

  @Test
  void pdOverAHorizonAssumesAConstantIntensity() {
    assertThat(Ifrs9.pdOver(0.02, 365)).isCloseTo(0.02, within(1e-12));
    // Two years: 1 - 0.98^2.
    assertThat(Ifrs9.pdOver(0.02, 730)).isCloseTo(0.0396, within(1e-12));
    // 60 days: 1 - 0.98^(60/365).
    assertThat(Ifrs9.pdOver(0.02, 60)).isCloseTo(1 - Math.pow(0.98, 60 / 365.0), within(1e-15));
    assertThat(Ifrs9.pdOver(1, 10)).isEqualTo(1);
  }

  @Test
  void stagesFollowTheSignificantIncreaseAndTheBackstops() {
    assertThat(ifrs9.stage(exposure(0.01, 0.008, 0, 60))).isEqualTo(1);
    // Tripled, but by less than half a point: not significant.
    assertThat(ifrs9.stage(exposure(0.003, 0.001, 0, 60))).isEqualTo(1);
    // Doubled and up by a point: stage 2.
    assertThat(ifrs9.stage(exposure(0.02, 0.01, 0, 60))).isEqualTo(2);
    // Unknown origination PD: only the backstops stage it.
    assertThat(ifrs9.stage(exposure(0.30, null, 0, 60))).isEqualTo(1);
    assertThat(ifrs9.stage(exposure(0.01, 0.01, 30, 60))).isEqualTo(2);
    assertThat(ifrs9.stage(exposure(0.01, 0.01, 90, 60))).isEqualTo(3);
    assertThat(ifrs9.stage(new Ifrs9.Exposure(0.01, 0.01, 0, true, false, 60, 0.45, 1)))
        .isEqualTo(3);
    assertThat(ifrs9.stage(new Ifrs9.Exposure(0.01, 0.01, 0, false, true, 60, 0.45, 1)))
        .isEqualTo(3);
  }

  @Test
  void lossesByApproachAndStage() {
    double lgdEad = 0.45 * 10_000;
    Ifrs9.Result stage1 = ifrs9.evaluate(exposure(0.02, 0.02, 0, 60));
    assertThat(stage1.stage()).isEqualTo(1);
    double pd60 = 1 - Math.pow(0.98, 60 / 365.0);
    assertThat(stage1.simplifiedEcl()).isCloseTo(pd60 * lgdEad, within(1e-9));
    // Stage 1 on a 60-day receivable: the 12-month horizon is cut at the remaining term.
    assertThat(stage1.generalEcl()).isCloseTo(pd60 * lgdEad, within(1e-9));

    Ifrs9.Result longStage1 = ifrs9.evaluate(exposure(0.02, 0.02, 0, 730));
    assertThat(longStage1.generalEcl()).isCloseTo(0.02 * lgdEad, within(1e-9));
    assertThat(longStage1.simplifiedEcl()).isCloseTo(0.0396 * lgdEad, within(1e-9));

    Ifrs9.Result longStage2 = ifrs9.evaluate(exposure(0.04, 0.01, 0, 730));
    assertThat(longStage2.stage()).isEqualTo(2);
    assertThat(longStage2.generalEcl()).isCloseTo((1 - 0.96 * 0.96) * lgdEad, within(1e-9));

    Ifrs9.Result impaired = ifrs9.evaluate(exposure(0.04, 0.01, 120, 60));
    assertThat(impaired.stage()).isEqualTo(3);
    assertThat(impaired.generalEcl()).isCloseTo(lgdEad, within(1e-9));
    assertThat(impaired.simplifiedEcl()).isCloseTo(lgdEad, within(1e-9));
  }
}
