package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {

  private static final double NaN = Double.NaN;

  /** A small manufacturer, amounts in euros. */
  static StatementLines statement(int year, double sales, double grossProfit) {
    return new StatementLines(
        year,
        1_000_000,
        400_000,
        600_000,
        100_000,
        200_000,
        50_000,
        10_000,
        450_000,
        100_000,
        200_000,
        550_000,
        300_000,
        250_000,
        sales,
        1_400_000,
        1_700_000,
        1_750_000,
        120_000,
        90_000,
        20_000,
        15_000,
        5_000,
        grossProfit,
        95_000,
        40_000,
        50_000);
  }

  private static double attr(double[] ratios, int n) {
    return ratios[n - 1];
  }

  @Test
  void ratiosFollowTheTrainingDataDefinitions() {
    double[] r =
        Ratios.compute(
            List.of(
                statement(2025, 2_000_000, 70_000),
                statement(2024, 1_600_000, 60_000),
                statement(2023, 1_500_000, 50_000)));
    assertThat(r).hasSize(64);
    assertThat(attr(r, 1)).isCloseTo(50_000 / 1e6, within(1e-12)); // net profit / assets
    assertThat(attr(r, 2)).isCloseTo(0.55, within(1e-12)); // liabilities / assets
    assertThat(attr(r, 3)).isCloseTo(0.3, within(1e-12)); // working capital / assets
    assertThat(attr(r, 4)).isCloseTo(2.0, within(1e-12)); // current ratio
    // (cash + securities + receivables - short-term liabilities) / (opex - depreciation) * 365
    assertThat(attr(r, 5))
        .isCloseTo((50_000 + 10_000 + 200_000 - 300_000) / 1_660_000.0 * 365, within(1e-9));
    assertThat(attr(r, 10)).isCloseTo(0.45, within(1e-12)); // equity ratio
    assertThat(attr(r, 20)).isCloseTo(100_000 * 365 / 2_000_000.0, within(1e-9)); // inventory days
    assertThat(attr(r, 21)).isCloseTo(2_000_000 / 1_600_000.0, within(1e-12)); // sales growth
    assertThat(attr(r, 24)).isCloseTo(180_000 / 1e6, within(1e-12)); // 3 years' gross profit
    assertThat(attr(r, 27)).isCloseTo(90_000 / 20_000.0, within(1e-12)); // interest cover
    assertThat(attr(r, 29)).isCloseTo(3.0, within(1e-12)); // log10(assets in thousands)
    assertThat(attr(r, 32)).isCloseTo(300_000 * 365 / 1_400_000.0, within(1e-9)); // DPO
    assertThat(attr(r, 44)).isCloseTo(200_000 * 365 / 2_000_000.0, within(1e-9)); // DSO
    assertThat(attr(r, 43)).isCloseTo(attr(r, 44) + attr(r, 20), within(1e-9));
    assertThat(attr(r, 46)).isCloseTo(500_000 / 300_000.0, within(1e-12)); // quick ratio
    assertThat(attr(r, 55)).isCloseTo(300.0, within(1e-12)); // working capital in thousands
    assertThat(attr(r, 59)).isCloseTo(250_000 / 450_000.0, within(1e-12));
  }

  @Test
  void aMissingLineLeavesItsRatiosMissingNeverZero() {
    StatementLines full = statement(2025, 2_000_000, 70_000);
    StatementLines noInventory =
        new StatementLines(
            2025, 1_000_000, 400_000, 600_000, NaN, 200_000, 50_000, 10_000, 450_000, 100_000,
            200_000, 550_000, 300_000, 250_000, 2_000_000, 1_400_000, 1_700_000, 1_750_000, 120_000,
            90_000, 20_000, 15_000, 5_000, 70_000, 95_000, 40_000, 50_000);
    double[] r = Ratios.compute(List.of(noInventory));
    assertThat(attr(r, 20)).isNaN();
    assertThat(attr(r, 45)).isNaN();
    assertThat(attr(r, 46)).isNaN();
    assertThat(attr(r, 43)).isNaN();
    assertThat(attr(r, 2)).isEqualTo(attr(Ratios.compute(List.of(full)), 2));
  }

  @Test
  void divisionByZeroIsMissing() {
    StatementLines noLongTermDebt =
        new StatementLines(
            2025, 1_000_000, 400_000, 600_000, 100_000, 200_000, 50_000, 10_000, 450_000, 100_000,
            200_000, 550_000, 550_000, 0, 2_000_000, 1_400_000, 1_700_000, 1_750_000, 120_000,
            90_000, 0, 15_000, 5_000, 70_000, 95_000, 40_000, 50_000);
    double[] r = Ratios.compute(List.of(noLongTermDebt));
    assertThat(attr(r, 37)).isNaN(); // / long-term liabilities
    assertThat(attr(r, 27)).isNaN(); // / financial expenses
    assertThat(attr(r, 59)).isZero(); // 0 / equity is a real zero
  }

  @Test
  void growthAndThreeYearFiguresNeedTheEarlierYears() {
    double[] one = Ratios.compute(List.of(statement(2025, 2_000_000, 70_000)));
    assertThat(attr(one, 21)).isNaN();
    assertThat(attr(one, 24)).isNaN();
    double[] two =
        Ratios.compute(List.of(statement(2025, 2_000_000, 70_000), statement(2024, 0, 60_000)));
    assertThat(attr(two, 21)).isNaN(); // previous sales of 0
    assertThat(attr(two, 24)).isNaN();
  }

  @Test
  void namesAreTheModelsFeatureOrder() {
    assertThat(Ratios.NAMES).hasSize(64).startsWith("Attr1", "Attr2").endsWith("Attr64");
  }
}
