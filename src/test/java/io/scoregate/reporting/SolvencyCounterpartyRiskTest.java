package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Article 200-201 of Delegated Regulation (EU) 2015/35 on portfolios worked out by hand. */
class SolvencyCounterpartyRiskTest {

  @Test
  void twoCounterpartiesWorkedByHand() {
    // A: PD 1 %, LGD 1,000; B: PD 5 %, LGD 500.
    // u_A = 0.0099, u_B = 0.0475.
    // V_inter = u_A^2/(1.25*0.02 - 0.0001)*1000^2 + u_B^2/(1.25*0.10 - 0.0025)*500^2
    //         + 2 * u_A*u_B/(1.25*0.06 - 0.0005)*1000*500 = 14,852.817
    // V_intra = 1.5*u_A/2.49*1000^2 + 1.5*u_B/2.45*500^2 = 13,234.264
    // sigma = sqrt(28,087.081) = 167.592 > 7 % of 1,500 (105), <= 20 % (300): SCR = 5 sigma.
    var result =
        SolvencyCounterpartyRisk.of(
            List.of(
                new SolvencyCounterpartyRisk.Group(0.01, 1000, 1000.0 * 1000),
                new SolvencyCounterpartyRisk.Group(0.05, 500, 500.0 * 500)));
    assertThat(result.variance()).isCloseTo(28_087.081, within(0.001));
    assertThat(result.standardDeviation()).isCloseTo(167.592, within(0.001));
    assertThat(result.totalLgd()).isEqualTo(1500);
    assertThat(result.scr()).isCloseTo(837.960, within(0.001));
  }

  @Test
  void aWellSpreadBookTakesThreeSigma() {
    // 100 counterparties of LGD 100 at PD 0.1 %: one group, TLGD 10,000, SLGD 100 * 100^2.
    // u = 0.000999; V_inter = u^2/(1.25*0.002 - 0.000001) * 10,000^2 = 39.936...
    // V_intra = 1.5*u/2.499 * 1,000,000 = 599.640...; sigma = 25.29 <= 700: SCR = 3 sigma.
    double u = 0.001 * 0.999;
    double v = u * u / (1.25 * 0.002 - 0.000001) * 1e8 + 1.5 * u / 2.499 * 1e6;
    var result =
        SolvencyCounterpartyRisk.of(
            List.of(new SolvencyCounterpartyRisk.Group(0.001, 10_000, 1e6)));
    assertThat(result.variance()).isCloseTo(v, within(1e-9));
    assertThat(result.scr()).isCloseTo(3 * Math.sqrt(v), within(1e-9));
  }

  @Test
  void aConcentratedRiskyBookIsCappedAtItsTotalLoss() {
    // One counterparty at PD 50 %: sigma far above 20 % of its LGD.
    var result =
        SolvencyCounterpartyRisk.of(List.of(new SolvencyCounterpartyRisk.Group(0.5, 1000, 1e6)));
    assertThat(result.standardDeviation()).isGreaterThan(200);
    assertThat(result.scr()).isEqualTo(1000);
  }

  @Test
  void anEmptyBookNeedsNoCapital() {
    assertThat(SolvencyCounterpartyRisk.of(List.of()).scr()).isZero();
  }
}
