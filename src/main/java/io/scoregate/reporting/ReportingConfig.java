package io.scoregate.reporting;

import static io.scoregate.config.ConfigCheck.require;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Reporting settings: the loss given default (a default and one per NAF section), the IFRS 9
 * staging thresholds, the Basel III F-IRB supervisory values, the exposure bands of the risk x
 * exposure matrix, how often instances check that today's portfolio snapshots are taken, and how
 * often (and a page of how many members at a time) they refresh the members' kept figures.
 */
public record ReportingConfig(
    double lgdDefault,
    Map<String, Double> lgdBySection,
    Ifrs9Config ifrs9,
    BaselConfig basel,
    List<BigDecimal> exposureBands,
    long snapshotCheckMs,
    int topLimitMax,
    int streamPoolSize,
    long riskRefreshMs,
    int riskRefreshRows) {

  public ReportingConfig {
    require(lgdDefault >= 0 && lgdDefault <= 1, "reporting.lgdDefault must be in [0, 1]");
    lgdBySection = lgdBySection == null ? Map.of() : Map.copyOf(lgdBySection);
    lgdBySection.forEach(
        (section, lgd) ->
            require(
                section.matches("[A-U]") && lgd != null && lgd >= 0 && lgd <= 1,
                "reporting.lgdBySection: a NAF section letter A-U and an LGD in [0, 1]"));
    require(ifrs9 != null, "reporting.ifrs9 is required");
    require(basel != null, "reporting.basel is required");
    exposureBands = exposureBands == null ? List.of() : List.copyOf(exposureBands);
    for (int i = 0; i < exposureBands.size(); i++) {
      require(
          exposureBands.get(i).signum() > 0
              && (i == 0 || exposureBands.get(i).compareTo(exposureBands.get(i - 1)) > 0),
          "reporting.exposureBands must be positive and increasing");
    }
    require(snapshotCheckMs > 0, "reporting.snapshotCheckMs must be > 0");
    require(topLimitMax > 0, "reporting.topLimitMax must be > 0");
    require(streamPoolSize > 0, "reporting.streamPoolSize must be > 0");
    require(riskRefreshMs > 0, "reporting.riskRefreshMs must be > 0");
    require(
        riskRefreshRows > 0 && riskRefreshRows <= 100_000,
        "reporting.riskRefreshRows must be in 1..100000");
  }

  /** IFRS 9 staging: significant increase in credit risk and the days-past-due backstops. */
  public record Ifrs9Config(
      double sicrPdRatio,
      double sicrPdIncrease,
      int backstopDaysPastDue,
      int creditImpairedDaysPastDue,
      int pastDueLookbackDays,
      int defaultTermDays) {
    public Ifrs9Config {
      require(sicrPdRatio > 1, "reporting.ifrs9.sicrPdRatio must be > 1");
      require(sicrPdIncrease >= 0, "reporting.ifrs9.sicrPdIncrease must be >= 0");
      require(
          backstopDaysPastDue > 0 && creditImpairedDaysPastDue > backstopDaysPastDue,
          "reporting.ifrs9: 0 < backstopDaysPastDue < creditImpairedDaysPastDue");
      require(pastDueLookbackDays > 0, "reporting.ifrs9.pastDueLookbackDays must be > 0");
      require(defaultTermDays > 0, "reporting.ifrs9.defaultTermDays must be > 0");
    }

    Ifrs9 calculator() {
      return new Ifrs9(sicrPdRatio, sicrPdIncrease, backstopDaysPastDue, creditImpairedDaysPastDue);
    }
  }

  /** Basel III foundation IRB: PD floor, supervisory LGD and effective maturity. */
  public record BaselConfig(double pdFloor, double lgd, double maturityYears) {
    public BaselConfig {
      require(pdFloor > 0 && pdFloor < 1, "reporting.basel.pdFloor must be in (0, 1)");
      require(lgd >= 0 && lgd <= 1, "reporting.basel.lgd must be in [0, 1]");
      require(maturityYears >= 1 && maturityYears <= 5, "reporting.basel.maturityYears: 1 to 5");
    }

    BaselIrb calculator() {
      return new BaselIrb(pdFloor, lgd, maturityYears);
    }
  }

  /** The loss given default of a company of this NAF section (null: unknown sector). */
  public double lgd(String section) {
    Double lgd = section == null ? null : lgdBySection.get(section);
    return lgd == null ? lgdDefault : lgd;
  }
}
