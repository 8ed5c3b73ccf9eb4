package io.scoregate.scoring;

import io.scoregate.model.Grades;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Keeps each company's current score in Postgres ({@code company_scores}): what monitoring compares
 * new scores with. A row is rewritten only when the score, PD, level, model or data changed, so
 * {@code computed_at} says since when the company has had this score.
 */
public final class ScoreRepository {

  /** One statement for any number of companies, each at most once. */
  private static final String UPSERT_SQL =
      """
      INSERT INTO company_scores AS s (company_id, score, pd, risk_level, model_version,
                                       data_as_of, reasons, computed_at, grade)
      SELECT c, sc, p, l, m, d, r::jsonb, t, g
      FROM unnest($1::bigint[], $2::int[], $3::float8[], $4::text[], $5::text[], $6::date[],
                  $7::text[], $8::timestamptz[], $9::text[]) AS u(c, sc, p, l, m, d, r, t, g)
      ON CONFLICT (company_id) DO UPDATE SET
        score = excluded.score, pd = excluded.pd, risk_level = excluded.risk_level,
        model_version = excluded.model_version, data_as_of = excluded.data_as_of,
        reasons = excluded.reasons, computed_at = excluded.computed_at, grade = excluded.grade
      WHERE (s.score, s.pd, s.risk_level, s.model_version, s.data_as_of, s.grade)
            IS DISTINCT FROM (excluded.score, excluded.pd, excluded.risk_level,
                              excluded.model_version, excluded.data_as_of, excluded.grade)
        -- a score computed before the one on file (a cache miss that raced a re-scoring)
        -- never replaces it
        AND s.computed_at <= excluded.computed_at
      """;

  private final SqlClient client;

  public ScoreRepository(SqlClient client) {
    this.client = client;
  }

  /** The master-scale grade (G1..G10) of a PD. */
  public static String grade(double pd) {
    return Grades.name(Grades.of(pd));
  }

  public Future<Void> save(long companyId, Assessment a) {
    return saveAll(Map.of(companyId, a));
  }

  /**
   * The scores of several companies, by company id, in one statement: the members' copies of those
   * scores (V19's statement triggers) follow once for the whole set.
   */
  public Future<Void> saveAll(Map<Long, Assessment> byCompany) {
    if (byCompany.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = byCompany.size();
    Long[] companies = new Long[n];
    Integer[] scores = new Integer[n];
    Double[] pds = new Double[n];
    String[] levels = new String[n];
    String[] models = new String[n];
    LocalDate[] dataAsOf = new LocalDate[n];
    String[] reasons = new String[n];
    OffsetDateTime[] computedAt = new OffsetDateTime[n];
    String[] grades = new String[n];
    int i = 0;
    for (Map.Entry<Long, Assessment> e : byCompany.entrySet()) {
      Assessment a = e.getValue();
      companies[i] = e.getKey();
      scores[i] = a.score();
      pds[i] = a.pd();
      levels[i] = a.riskLevel();
      models[i] = a.modelVersion();
      dataAsOf[i] = a.dataAsOf();
      reasons[i] = reasons(a).encode();
      computedAt[i] = OffsetDateTime.ofInstant(a.evaluatedAt(), ZoneOffset.UTC);
      grades[i] = grade(a.pd());
      i++;
    }
    return client
        .preparedQuery(UPSERT_SQL)
        .execute(
            Tuple.from(
                new Object[] {
                  companies, scores, pds, levels, models, dataAsOf, reasons, computedAt, grades
                }))
        .mapEmpty();
  }

  private static JsonArray reasons(Assessment a) {
    JsonArray reasons = new JsonArray();
    for (ScoreReason r : a.reasons()) {
      reasons.add(
          new JsonObject()
              .put("code", r.code())
              .put("feature", r.feature())
              .put("value", r.value())
              .put("contribution", r.contribution())
              .put("text", r.text()));
    }
    return reasons;
  }
}
