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

  /** The members of portfolio $1 with their company and current score. */
  private static final String MEMBERS =
      """
      WITH m AS (
        SELECT pm.company_id, pm.reference, pm.exposure, c.country, c.national_id, c.name,
               c.sector, c.region, naf_section(c.sector) AS section,
               CASE WHEN c.sector ~ '^[0-9]{2}' THEN substr(c.sector, 1, 2) END AS division,
               s.score, s.pd, s.grade, s.risk_level
        FROM portfolio_members pm
        JOIN companies c ON c.id = pm.company_id
        LEFT JOIN company_scores s ON s.company_id = pm.company_id
        WHERE pm.portfolio_id = $1)
      """;

  /** LGD of a member: the configured one of its NAF section ($2, JSON), else the default ($3). */
  private static final String LGD = "coalesce(($2::jsonb ->> m.section)::float8, $3::float8)";

  private static final String SUMMARY_SQL =
      MEMBERS
          + """
          SELECT count(*)::int AS members, count(m.score)::int AS scored,
                 coalesce(sum(m.exposure), 0) AS exposure,
                 coalesce(sum(m.exposure) FILTER (WHERE m.score IS NULL), 0) AS unscored_exposure,
                 round(coalesce(sum(m.exposure * (m.pd * %s)::numeric), 0), 2) AS expected_loss,
                 sum(m.exposure * m.pd::numeric) / nullif(sum(m.exposure) FILTER
                     (WHERE m.score IS NOT NULL), 0) AS weighted_pd
          FROM m
          """
              .formatted(LGD);

  private static final String BY_LEVEL_SQL =
      MEMBERS
          + """
          SELECT coalesce(m.risk_level, 'unscored') AS key, count(*)::int AS count,
                 sum(m.exposure) AS exposure
          FROM m GROUP BY 1
          """;

  private static final String BY_GRADE_SQL =
      MEMBERS
          + """
          SELECT coalesce(m.grade, 'unscored') AS key, count(*)::int AS count,
                 sum(m.exposure) AS exposure
          FROM m GROUP BY 1
          """;

  private static final String CONCENTRATION_SQL =
      MEMBERS
          + """
          SELECT coalesce(%s, 'unknown') AS key, count(*)::int AS count, sum(m.exposure) AS exposure
          FROM m GROUP BY 1 ORDER BY 3 DESC, 1
          """;

  private static final String MATRIX_SQL =
      MEMBERS
          + """
          SELECT coalesce(m.risk_level, 'unscored') AS level,
                 width_bucket(m.exposure, $2::numeric[]) AS band,
                 count(*)::int AS count, sum(m.exposure) AS exposure
          FROM m GROUP BY 1, 2
          """;

  private static final String TOP_SQL =
      MEMBERS
          + """
          SELECT m.* FROM m ORDER BY m.exposure DESC, m.company_id LIMIT $2
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
  private static final String TAKE_SNAPSHOTS_SQL =
      """
      INSERT INTO portfolio_snapshots (portfolio_id, tenant_id, as_of, members, scored, exposure,
                                       expected_loss, by_level, by_grade, taken_at)
      SELECT p.id, p.tenant_id, $1::date, t.members, t.scored, t.exposure, t.expected_loss,
             coalesce(l.by_level, '{}'), coalesce(g.by_grade, '{}'), $4
      FROM portfolios p
      CROSS JOIN LATERAL (
          SELECT count(*)::int AS members, count(s.score)::int AS scored,
                 coalesce(sum(pm.exposure), 0) AS exposure,
                 round(coalesce(sum(pm.exposure * (s.pd * coalesce(($2::jsonb ->>
                     naf_section(c.sector))::float8, $3::float8))::numeric), 0), 2) AS expected_loss
          FROM portfolio_members pm JOIN companies c ON c.id = pm.company_id
          LEFT JOIN company_scores s ON s.company_id = pm.company_id
          WHERE pm.portfolio_id = p.id) t
      LEFT JOIN LATERAL (
          SELECT jsonb_object_agg(k, jsonb_build_object('count', n, 'exposure', e::text)) AS by_level
          FROM (SELECT coalesce(s.risk_level, 'unscored') AS k, count(*) AS n, sum(pm.exposure) AS e
                FROM portfolio_members pm LEFT JOIN company_scores s ON s.company_id = pm.company_id
                WHERE pm.portfolio_id = p.id GROUP BY 1) x) l ON true
      LEFT JOIN LATERAL (
          SELECT jsonb_object_agg(k, jsonb_build_object('count', n, 'exposure', e::text)) AS by_grade
          FROM (SELECT coalesce(s.grade, 'unscored') AS k, count(*) AS n, sum(pm.exposure) AS e
                FROM portfolio_members pm LEFT JOIN company_scores s ON s.company_id = pm.company_id
                WHERE pm.portfolio_id = p.id GROUP BY 1) x) g ON true
      ON CONFLICT (portfolio_id, as_of) DO UPDATE SET
        members = excluded.members, scored = excluded.scored, exposure = excluded.exposure,
        expected_loss = excluded.expected_loss, by_level = excluded.by_level,
        by_grade = excluded.by_grade, taken_at = excluded.taken_at
      """;

  private final SqlClient client;
  private final Pool streams;
  private final ReportingConfig config;
  private final String lgdBySection;

  ReportingRepository(SqlClient client, Pool streams, ReportingConfig config) {
    this.client = client;
    this.streams = streams;
    this.config = config;
    this.lgdBySection = new JsonObject(new java.util.HashMap<>(config.lgdBySection())).encode();
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
        .preparedQuery(SUMMARY_SQL)
        .execute(Tuple.of(portfolio, lgdBySection, config.lgdDefault()))
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

  Future<List<Cell>> matrix(UUID portfolio) {
    BigDecimal[] bands = config.exposureBands().toArray(BigDecimal[]::new);
    return client
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
    return client
        .preparedQuery(TAKE_SNAPSHOTS_SQL)
        .execute(
            Tuple.of(
                day,
                lgdBySection,
                config.lgdDefault(),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
        .map(RowSet::rowCount);
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
