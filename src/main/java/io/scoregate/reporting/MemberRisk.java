package io.scoregate.reporting;

import io.vertx.sqlclient.Row;
import java.math.BigDecimal;

/**
 * The regulatory figures of one portfolio member: its LGD, IFRS 9 stage and losses (both
 * approaches), and its Basel III risk weight and RWA. One place computes them, for the totals and
 * for the exports alike. The SQL that feeds it ({@link #COLUMNS}) is shared by both.
 */
final class MemberRisk {

  /**
   * What a member row must select, with $2 the first day of the past-due lookback: the company's
   * facts as copied onto the member row (V16), sales of the latest filed year; days past due are
   * the worst payment incident in the lookback, looked up only for a company whose latest incident
   * falls in it.
   */
  static final String COLUMNS =
      """
      pm.exposure, pm.origination_pd, pm.payment_terms_days, pm.company_section AS section,
      pm.company_ceased AS ceased, pm.company_sales::float8 AS sales,
      pm.company_open_proceeding AS open_proceeding,
      CASE WHEN pm.company_last_incident_on >= $2 THEN
        coalesce((SELECT max(e.days_late) FROM company_events e WHERE e.company_id = pm.company_id
                  AND e.kind = 'payment_incident' AND e.occurred_on >= $2), 0)
      ELSE 0 END::int AS days_past_due
      """;

  /** The figures of one scored member. */
  record Figures(
      BigDecimal exposure,
      double pd,
      double lgd,
      int stage,
      double eclSimplified,
      double eclGeneral,
      double riskWeight,
      double rwa) {}

  /**
   * A member's figures that do not depend on the day (V18's risk_* columns): EAD, LGD x EAD, the
   * lifetime and 12-month ECL before staging, the RWA when not in default, and whether its PD rose
   * significantly since origination. Which of them count is decided by the stage in SQL.
   */
  record Kept(
      double ead,
      double loss,
      double eclTerm,
      double eclYear,
      double rwaNotInDefault,
      boolean significantIncrease) {}

  private final ReportingConfig config;
  private final Ifrs9 ifrs9;
  private final BaselIrb basel;
  private final long basis;

  MemberRisk(ReportingConfig config) {
    this.config = config;
    this.ifrs9 = config.ifrs9().calculator();
    this.basel = config.basel().calculator();
    this.basis = basis(config);
  }

  /**
   * What kept figures were computed under: a hash of every setting they read (the LGDs, the SICR
   * thresholds, the default term, the Basel parameters) and of this formula's version. The
   * days-past-due backstops are not in it: a member with a recent payment incident is always
   * computed here, never from kept figures.
   */
  static long basis(ReportingConfig config) {
    StringBuilder s = new StringBuilder("member-risk/1");
    s.append('|').append(config.lgdDefault());
    new java.util.TreeMap<>(config.lgdBySection())
        .forEach((section, lgd) -> s.append('|').append(section).append('=').append(lgd));
    ReportingConfig.Ifrs9Config i = config.ifrs9();
    s.append('|').append(i.sicrPdRatio()).append('|').append(i.sicrPdIncrease());
    s.append('|').append(i.defaultTermDays());
    ReportingConfig.BaselConfig b = config.basel();
    s.append('|').append(b.pdFloor()).append('|').append(b.lgd()).append('|');
    s.append(b.maturityYears());
    try {
      byte[] sha =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.nio.ByteBuffer.wrap(sha).getLong();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  long basis() {
    return basis;
  }

  /**
   * The kept figures of a scored member, by the same arithmetic as {@link #of}: with stage 1 or 2
   * and no days past due, {@code of} gives eclTerm (simplified), eclYear or eclTerm (general) and
   * rwaNotInDefault; in stage 3, loss for both ECLs and no RWA.
   */
  Kept kept(
      double pd,
      Double originationPd,
      Integer paymentTermsDays,
      String section,
      Double sales,
      BigDecimal exposure) {
    double ead = exposure.doubleValue();
    double lgd = config.lgd(section);
    int term = paymentTermsDays == null ? config.ifrs9().defaultTermDays() : paymentTermsDays;
    double loss = lgd * ead;
    boolean sicr =
        ifrs9.stage(new Ifrs9.Exposure(pd, originationPd, 0, false, false, term, lgd, ead)) == 2;
    double riskWeight = basel.riskWeight(pd, sales == null ? null : sales / 1_000_000);
    return new Kept(
        ead,
        loss,
        Ifrs9.pdOver(pd, term) * loss,
        Ifrs9.pdOver(pd, Math.min(365, term)) * loss,
        riskWeight * ead,
        sicr);
  }

  /** The figures of a row selecting {@link #COLUMNS} and {@code pd}; null if it has no score. */
  Figures of(Row row) {
    Double pd = row.getDouble("pd");
    if (pd == null) {
      return null;
    }
    BigDecimal exposure = row.getBigDecimal("exposure");
    double ead = exposure.doubleValue();
    double lgd = config.lgd(row.getString("section"));
    Integer term = row.getInteger("payment_terms_days");
    Ifrs9.Result ecl =
        ifrs9.evaluate(
            new Ifrs9.Exposure(
                pd,
                row.getDouble("origination_pd"),
                row.getInteger("days_past_due"),
                Boolean.TRUE.equals(row.getBoolean("open_proceeding")),
                Boolean.TRUE.equals(row.getBoolean("ceased")),
                term == null ? config.ifrs9().defaultTermDays() : term,
                lgd,
                ead));
    Double sales = row.getDouble("sales");
    Double salesMillions = sales == null ? null : sales / 1_000_000;
    // A credit-impaired member is in default for Basel purposes too (PD 1).
    double baselPd = ecl.stage() == 3 ? 1 : pd;
    double riskWeight = basel.riskWeight(baselPd, salesMillions);
    return new Figures(
        exposure,
        pd,
        lgd,
        ecl.stage(),
        ecl.simplifiedEcl(),
        ecl.generalEcl(),
        riskWeight,
        riskWeight * ead);
  }
}
