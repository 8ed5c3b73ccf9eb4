package io.scoregate.reporting;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of portfolio analytics: every figure is aggregated in Postgres over the portfolio's
 * members joined with the companies and their current scores, so a call costs one scan of the
 * portfolio and its answer is a few rows, whatever the portfolio's size. Amounts are NUMERIC to the
 * cent; an expected loss is rounded to the cent once, on the total.
 */
final class ReportingRepository {

  /**
   * The members of portfolio $1 with their company's facts and current score, as copied onto each
   * member row at write time (V16): one scan of the portfolio's rows, no join.
   */
  private static final String MEMBERS =
      """
      WITH m AS (
        SELECT pm.company_id, pm.reference, pm.exposure, pm.company_section AS section,
               pm.company_division AS division, pm.company_region AS region,
               pm.current_score AS score, pm.current_pd AS pd, pm.current_grade AS grade,
               pm.current_level AS risk_level
        FROM portfolio_members pm
        WHERE pm.portfolio_id = $1)
      """;

  /**
   * The cells of portfolio $1 (V16: its members added up per risk level, grade, NAF section and
   * division, and region, kept by the writers' triggers): a few rows, whatever the portfolio's
   * size. A cell may still be in several rows since the last compaction; every query adds them up.
   */
  private static final String CELLS =
      """
      WITH m AS (SELECT * FROM portfolio_cells WHERE portfolio_id = $1)
      """;

  /**
   * The expected loss is sum(LGD x EAD x PD): per NAF section, its LGD times the exact sum of EAD x
   * PD of its members, rounded to the cent once, on the total.
   */
  private static final String SUMMARY_SQL_TEMPLATE =
      CELLS
          + """
          SELECT coalesce(sum(m.members), 0)::int AS members,
                 coalesce(sum(m.members) FILTER (WHERE m.risk_level IS NOT NULL), 0)::int AS scored,
                 coalesce(sum(m.exposure), 0) AS exposure,
                 coalesce(sum(m.exposure) FILTER (WHERE m.risk_level IS NULL), 0)
                   AS unscored_exposure,
                 round(coalesce(sum(m.pd_exposure * %s), 0), 2) AS expected_loss,
                 sum(m.pd_exposure) / nullif(sum(m.exposure) FILTER
                     (WHERE m.risk_level IS NOT NULL), 0) AS weighted_pd
          FROM m
          """;

  private static final String BY_LEVEL_SQL =
      CELLS
          + """
          SELECT coalesce(m.risk_level, 'unscored') AS key, sum(m.members)::int AS count,
                 sum(m.exposure) AS exposure
          FROM m GROUP BY 1 HAVING sum(m.members) <> 0
          """;

  private static final String BY_GRADE_SQL =
      CELLS
          + """
          SELECT coalesce(m.grade, 'unscored') AS key, sum(m.members)::int AS count,
                 sum(m.exposure) AS exposure
          FROM m GROUP BY 1 HAVING sum(m.members) <> 0
          """;

  private static final String CONCENTRATION_SQL =
      CELLS
          + """
          SELECT coalesce(%s, 'unknown') AS key, sum(m.members)::int AS count,
                 sum(m.exposure) AS exposure
          FROM m GROUP BY 1 HAVING sum(m.members) <> 0 ORDER BY 3 DESC, 1
          """;

  private static final String MATRIX_SQL =
      MEMBERS
          + """
          SELECT coalesce(m.risk_level, 'unscored') AS level,
                 width_bucket(m.exposure, $2::numeric[]) AS band,
                 count(*)::int AS count, sum(m.exposure) AS exposure
          FROM m GROUP BY 1, 2
          """;

  /** The largest exposures, read from the top of portfolio_members_exposure_idx. */
  private static final String TOP_SQL =
      """
      SELECT pm.reference, pm.exposure, c.country, c.national_id, c.name, c.sector, c.region,
             pm.current_score AS score, pm.current_pd AS pd, pm.current_grade AS grade,
             pm.current_level AS risk_level
      FROM (SELECT * FROM portfolio_members WHERE portfolio_id = $1
            ORDER BY exposure DESC, company_id LIMIT $2) pm
      JOIN companies c ON c.id = pm.company_id
      ORDER BY pm.exposure DESC, pm.company_id
      """;

  private static final String SNAPSHOTS_SQL =
      """
      SELECT as_of, members, scored, exposure, expected_loss, by_level, by_grade
      FROM portfolio_snapshots WHERE portfolio_id = $1 AND as_of >= $2 ORDER BY as_of
      """;

  /**
   * Today's snapshot of every portfolio, taken anew at each check until the day is over: a day's
   * snapshot is the book as the day ended (or as the last check saw it). Any instance may run it.
   */
  private static final String TAKE_SNAPSHOTS_SQL_TEMPLATE =
      """
      INSERT INTO portfolio_snapshots (portfolio_id, tenant_id, as_of, members, scored, exposure,
                                       expected_loss, by_level, by_grade, taken_at)
      SELECT p.id, p.tenant_id, $1::date, t.members, t.scored, t.exposure, t.expected_loss,
             coalesce(l.by_level, '{}'), coalesce(g.by_grade, '{}'), $2
      FROM portfolios p
      CROSS JOIN LATERAL (
          SELECT coalesce(sum(m.members), 0)::int AS members,
                 coalesce(sum(m.members) FILTER (WHERE m.risk_level IS NOT NULL), 0)::int
                   AS scored,
                 coalesce(sum(m.exposure), 0) AS exposure,
                 round(coalesce(sum(m.pd_exposure * %s), 0), 2) AS expected_loss
          FROM portfolio_cells m WHERE m.portfolio_id = p.id) t
      LEFT JOIN LATERAL (
          SELECT jsonb_object_agg(k, jsonb_build_object('count', n, 'exposure', e::text)) AS by_level
          FROM (SELECT coalesce(m.risk_level, 'unscored') AS k, sum(m.members) AS n,
                       sum(m.exposure) AS e
                FROM portfolio_cells m WHERE m.portfolio_id = p.id
                GROUP BY 1 HAVING sum(m.members) <> 0) x) l ON true
      LEFT JOIN LATERAL (
          SELECT jsonb_object_agg(k, jsonb_build_object('count', n, 'exposure', e::text)) AS by_grade
          FROM (SELECT coalesce(m.grade, 'unscored') AS k, sum(m.members) AS n,
                       sum(m.exposure) AS e
                FROM portfolio_cells m WHERE m.portfolio_id = p.id
                GROUP BY 1 HAVING sum(m.members) <> 0) x) g ON true
      ON CONFLICT (portfolio_id, as_of) DO UPDATE SET
        members = excluded.members, scored = excluded.scored, exposure = excluded.exposure,
        expected_loss = excluded.expected_loss, by_level = excluded.by_level,
        by_grade = excluded.by_grade, taken_at = excluded.taken_at
      """;

  /**
   * The regulatory sums of portfolio $1 in SQL, from the figures kept on each member row (V18): the
   * scored members whose figures hold for basis $2 and who have no payment incident since $3 (their
   * stage is then decided by an open proceeding, the company ceased, or a significant increase in
   * credit risk), grouped by what staging and the Solvency II groups need; then one row of the
   * unscored members, from the cells. The other scored members go through {@link MemberRisk}
   * ({@link #PER_MEMBER_SQL}).
   */
  static final String KEPT_RISK_SQL =
      """
      SELECT current_grade AS grade, company_open_proceeding OR company_ceased AS impaired,
             risk_sicr AS sicr, count(*) AS members, sum(exposure) AS exposure,
             sum(risk_ead) AS ead, sum(current_pd) AS pd, sum(risk_loss) AS loss,
             sum(risk_loss * risk_loss) AS loss_squared, sum(risk_ecl_term) AS ecl_term,
             sum(risk_ecl_year) AS ecl_year, sum(risk_rwa) AS rwa
      FROM portfolio_members
      WHERE portfolio_id = $1 AND current_pd IS NOT NULL AND risk_basis = $2
        AND (company_last_incident_on IS NULL OR company_last_incident_on < $3)
      GROUP BY current_grade, company_open_proceeding, company_ceased, risk_sicr
      UNION ALL
      SELECT NULL, NULL, NULL, coalesce(sum(members), 0)::bigint, coalesce(sum(exposure), 0),
             NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM portfolio_cells WHERE portfolio_id = $1 AND risk_level IS NULL
      """;

  /**
   * The scored members of portfolio $1 that {@link #KEPT_RISK_SQL} leaves out: a payment incident
   * since $2 (days past due are counted on the day), or figures not kept under basis $3.
   */
  static final String PER_MEMBER_SQL =
      "SELECT pm.current_pd AS pd, pm.current_grade AS grade, "
          + MemberRisk.COLUMNS
          + """
          FROM portfolio_members pm
          WHERE pm.portfolio_id = $1 AND pm.current_pd IS NOT NULL
            AND (pm.risk_basis IS DISTINCT FROM $3 OR pm.company_last_incident_on >= $2)
          """;

  /**
   * A page of the scored members whose kept figures do not hold for basis $1, after member ($2, $3)
   * in key order: every call walks the primary key on from where the last page ended.
   */
  private static final String STALE_RISK_SQL =
      """
      SELECT portfolio_id, company_id, current_pd, origination_pd, payment_terms_days,
             company_section, company_sales, exposure
      FROM portfolio_members
      WHERE (portfolio_id, company_id) > ($2, $3) AND current_pd IS NOT NULL
        AND risk_basis IS DISTINCT FROM $1
      ORDER BY portfolio_id, company_id LIMIT $4
      """;

  /**
   * Writes kept figures under basis $1, each only if the member's inputs are still those they were
   * computed from (a member re-scored meanwhile stays stale for the next refresh). A member whose
   * row a transaction holds (a fact being applied to its company) is passed over, not waited for:
   * it stays stale for the next refresh, and the refresh never holds up the facts behind it.
   */
  private static final String KEEP_RISK_SQL =
      """
      WITH u AS (
        SELECT * FROM unnest($2::uuid[], $3::bigint[], $4::float8[], $5::text[], $6::text[],
                             $7::text[], $8::text[], $9::text[], $10::float8[], $11::float8[],
                             $12::float8[], $13::float8[], $14::float8[], $15::bool[])
          AS u(portfolio_id, company_id, pd, origination_pd, term, section, sales, exposure,
               ead, loss, ecl_term, ecl_year, rwa, sicr)),
      free AS (
        SELECT pm.portfolio_id, pm.company_id FROM portfolio_members pm
        JOIN u ON pm.portfolio_id = u.portfolio_id AND pm.company_id = u.company_id
        FOR NO KEY UPDATE OF pm SKIP LOCKED)
      UPDATE portfolio_members pm SET risk_basis = $1, risk_ead = u.ead, risk_loss = u.loss,
             risk_ecl_term = u.ecl_term, risk_ecl_year = u.ecl_year, risk_rwa = u.rwa,
             risk_sicr = u.sicr
      FROM u JOIN free ON free.portfolio_id = u.portfolio_id AND free.company_id = u.company_id
      WHERE pm.portfolio_id = u.portfolio_id AND pm.company_id = u.company_id
        AND pm.current_pd = u.pd
        AND (pm.origination_pd, pm.payment_terms_days, pm.company_section, pm.company_sales,
             pm.exposure)
            IS NOT DISTINCT FROM
            (u.origination_pd::float8, u.term::int, u.section, u.sales::numeric,
             u.exposure::numeric)
      """;

  private final SqlClient client;
  private final Pool streams;
  private final ReportingConfig config;
  private final String summarySql;
  private final String takeSnapshotsSql;

  ReportingRepository(SqlClient client, Pool streams, ReportingConfig config) {
    this.client = client;
    this.streams = streams;
    this.config = config;
    this.summarySql = SUMMARY_SQL_TEMPLATE.formatted(lgd(config, "m.section"));
    this.takeSnapshotsSql = TAKE_SNAPSHOTS_SQL_TEMPLATE.formatted(lgd(config, "m.section"));
  }

  /**
   * The LGD of a NAF section column as a SQL expression: the configured LGDs (validated doubles)
   * are written into the statement as exact decimals, one CASE per cell instead of a JSON lookup
   * per member.
   */
  static String lgd(ReportingConfig config, String sectionColumn) {
    String fallback = "'" + config.lgdDefault() + "'::numeric";
    if (config.lgdBySection().isEmpty()) {
      return fallback;
    }
    StringBuilder sql = new StringBuilder("CASE ").append(sectionColumn);
    new java.util.TreeMap<>(config.lgdBySection())
        .forEach(
            (section, lgd) ->
                sql.append(" WHEN '")
                    .append(section)
                    .append("' THEN '")
                    .append(Double.toString(lgd))
                    .append("'::numeric"));
    return sql.append(" ELSE ").append(fallback).append(" END").toString();
  }

  Pool streams() {
    return streams;
  }

  /** The portfolio's name if the tenant owns it, else null. */
  Future<String> portfolioName(UUID portfolio, String tenant) {
    return client
        .preparedQuery("SELECT name FROM portfolios WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(portfolio, tenant))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("name"));
  }

  Future<JsonObject> summary(UUID portfolio) {
    return client
        .preparedQuery(summarySql)
        .execute(Tuple.of(portfolio))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              BigDecimal weighted = r.getBigDecimal("weighted_pd");
              return new JsonObject()
                  .put("members", r.getInteger("members"))
                  .put("scored", r.getInteger("scored"))
                  .put("exposure", amount(r.getBigDecimal("exposure")))
                  .put("unscored_exposure", amount(r.getBigDecimal("unscored_exposure")))
                  .put("expected_loss", amount(r.getBigDecimal("expected_loss")))
                  .put("exposure_weighted_pd", weighted == null ? null : weighted.doubleValue());
            });
  }

  /** Count and exposure per risk level, then per grade. */
  Future<List<Group>> byLevel(UUID portfolio) {
    return groups(BY_LEVEL_SQL, portfolio);
  }

  Future<List<Group>> byGrade(UUID portfolio) {
    return groups(BY_GRADE_SQL, portfolio);
  }

  /** Count and exposure per key: {@code section}, {@code division} or {@code region}. */
  Future<List<Group>> concentration(UUID portfolio, String by) {
    String column =
        switch (by) {
          case "section" -> "m.section";
          case "division" -> "m.division";
          case "region" -> "m.region";
          default -> throw new IllegalArgumentException(by);
        };
    return groups(CONCENTRATION_SQL.formatted(column), portfolio);
  }

  /** One cell of the risk x exposure matrix; band 0 is below the first threshold. */
  record Cell(String level, int band, int count, BigDecimal exposure) {}

  /** On the reporting pool, whose connections do not JIT-compile such scans (see Gateway). */
  Future<List<Cell>> matrix(UUID portfolio) {
    BigDecimal[] bands = config.exposureBands().toArray(BigDecimal[]::new);
    return streams
        .preparedQuery(MATRIX_SQL)
        .execute(Tuple.of(portfolio).addValue(bands))
        .map(
            rows -> {
              List<Cell> cells = new ArrayList<>();
              for (Row r : rows) {
                cells.add(
                    new Cell(
                        r.getString("level"),
                        r.getInteger("band"),
                        r.getInteger("count"),
                        r.getBigDecimal("exposure")));
              }
              return cells;
            });
  }

  Future<JsonArray> largestExposures(UUID portfolio, int limit) {
    return client
        .preparedQuery(TOP_SQL)
        .execute(Tuple.of(portfolio, limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put(
                            "company",
                            new JsonObject()
                                .put("country", r.getString("country"))
                                .put("id", r.getString("national_id"))
                                .put("name", r.getString("name")))
                        .put("reference", r.getString("reference"))
                        .put("exposure", amount(r.getBigDecimal("exposure")))
                        .put("score", r.getInteger("score"))
                        .put("pd", r.getDouble("pd"))
                        .put("grade", r.getString("grade"))
                        .put("risk_level", r.getString("risk_level"))
                        .put("sector", r.getString("sector"))
                        .put("region", r.getString("region")));
              }
              return out;
            });
  }

  Future<JsonArray> snapshots(UUID portfolio, LocalDate since) {
    return client
        .preparedQuery(SNAPSHOTS_SQL)
        .execute(Tuple.of(portfolio, since))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("date", r.getLocalDate("as_of").toString())
                        .put("members", r.getInteger("members"))
                        .put("scored", r.getInteger("scored"))
                        .put("exposure", amount(r.getBigDecimal("exposure")))
                        .put("expected_loss", amount(r.getBigDecimal("expected_loss")))
                        .put("by_level", new JsonObject(r.getValue("by_level").toString()))
                        .put("by_grade", new JsonObject(r.getValue("by_grade").toString())));
              }
              return out;
            });
  }

  /** Takes (or refreshes) today's snapshot of each portfolio; the number written. */
  Future<Integer> takeSnapshots(LocalDate day, java.time.Instant now) {
    return maintainCells()
        .compose(
            v ->
                client
                    .preparedQuery(takeSnapshotsSql)
                    .execute(Tuple.of(day, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))))
        .map(RowSet::rowCount);
  }

  /**
   * Before each snapshot: re-derives the members' copied facts that differ from their sources (two
   * writers racing), folds each portfolio's cells into one row per cell, and drops the cells of
   * deleted portfolios.
   */
  private Future<Void> maintainCells() {
    return client
        .query("SELECT reconcile_portfolio_member_facts()")
        .execute()
        .compose(v -> client.query("SELECT compact_portfolio_cells(id) FROM portfolios").execute())
        .compose(
            v ->
                client
                    .query(
                        "DELETE FROM portfolio_cells c WHERE NOT EXISTS"
                            + " (SELECT 1 FROM portfolios p WHERE p.id = c.portfolio_id)")
                    .execute())
        .mapEmpty();
  }

  /** A page of kept figures: the key of its last member, the members read and written. */
  record KeptPage(UUID portfolio, long company, int read, int written) {}

  /**
   * Computes and keeps the figures of up to {@code rows} stale members after ({@code portfolio},
   * {@code company}); null when none is left.
   */
  Future<KeptPage> keepRiskFigures(MemberRisk risk, UUID portfolio, long company, int rows) {
    return streams
        .preparedQuery(STALE_RISK_SQL)
        .execute(Tuple.of(risk.basis(), portfolio, company, rows))
        .compose(
            page -> {
              int n = page.size();
              if (n == 0) {
                return Future.succeededFuture(null);
              }
              UUID[] portfolios = new UUID[n];
              Long[] companies = new Long[n];
              Double[] pds = new Double[n];
              // The inputs that may be null travel as text (exact: Java's shortest round-trip
              // form of a double, a numeric's own digits).
              String[] originations = new String[n];
              String[] terms = new String[n];
              String[] sections = new String[n];
              String[] sales = new String[n];
              String[] exposures = new String[n];
              Double[] ead = new Double[n];
              Double[] loss = new Double[n];
              Double[] eclTerm = new Double[n];
              Double[] eclYear = new Double[n];
              Double[] rwa = new Double[n];
              Boolean[] sicr = new Boolean[n];
              int i = 0;
              for (Row r : page) {
                portfolios[i] = r.getUUID("portfolio_id");
                companies[i] = r.getLong("company_id");
                pds[i] = r.getDouble("current_pd");
                Double origination = r.getDouble("origination_pd");
                Integer term = r.getInteger("payment_terms_days");
                BigDecimal sale = r.getBigDecimal("company_sales");
                BigDecimal exposure = r.getBigDecimal("exposure");
                originations[i] = origination == null ? null : origination.toString();
                terms[i] = term == null ? null : term.toString();
                sections[i] = r.getString("company_section");
                sales[i] = sale == null ? null : sale.toPlainString();
                exposures[i] = exposure.toPlainString();
                MemberRisk.Kept k =
                    risk.kept(
                        pds[i],
                        origination,
                        term,
                        sections[i],
                        sale == null ? null : sale.doubleValue(),
                        exposure);
                ead[i] = k.ead();
                loss[i] = k.loss();
                eclTerm[i] = k.eclTerm();
                eclYear[i] = k.eclYear();
                rwa[i] = k.rwaNotInDefault();
                sicr[i] = k.significantIncrease();
                i++;
              }
              return streams
                  .preparedQuery(KEEP_RISK_SQL)
                  .execute(
                      Tuple.tuple()
                          .addLong(risk.basis())
                          .addValue(portfolios)
                          .addValue(companies)
                          .addValue(pds)
                          .addValue(originations)
                          .addValue(terms)
                          .addValue(sections)
                          .addValue(sales)
                          .addValue(exposures)
                          .addValue(ead)
                          .addValue(loss)
                          .addValue(eclTerm)
                          .addValue(eclYear)
                          .addValue(rwa)
                          .addValue(sicr))
                  .map(
                      written ->
                          new KeptPage(portfolios[n - 1], companies[n - 1], n, written.rowCount()));
            });
  }

  /** A key's count and exposure. */
  record Group(String key, int count, BigDecimal exposure) {}

  private Future<List<Group>> groups(String sql, UUID portfolio) {
    return client
        .preparedQuery(sql)
        .execute(Tuple.of(portfolio))
        .map(
            rows -> {
              List<Group> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Group(
                        r.getString("key"), r.getInteger("count"), r.getBigDecimal("exposure")));
              }
              return out;
            });
  }

  /** Amounts travel as strings with two decimals, never as binary floating point. */
  static String amount(BigDecimal value) {
    return value == null
        ? null
        : value.setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
