package io.scoregate.scoring;

import io.scoregate.model.Grades;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps each company's current score in Postgres ({@code company_scores}): what monitoring compares
 * new scores with. A row is rewritten only when the score, PD, level, model or data changed, so
 * {@code computed_at} says since when the company has had this score.
 */
public final class ScoreRepository {

  private static final String UPSERT_SQL =
      """
      INSERT INTO company_scores AS s (company_id, score, pd, risk_level, model_version,
                                       data_as_of, reasons, computed_at, grade)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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
    return client.preparedQuery(UPSERT_SQL).execute(row(companyId, a)).mapEmpty();
  }

  /** The scores of several companies, by company id, in one round trip. */
  public Future<Void> saveAll(Map<Long, Assessment> byCompany) {
    if (byCompany.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(byCompany.size());
    byCompany.forEach((companyId, a) -> rows.add(row(companyId, a)));
    return client.preparedQuery(UPSERT_SQL).executeBatch(rows).mapEmpty();
  }

  private static Tuple row(long companyId, Assessment a) {
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
    return Tuple.of(
        companyId,
        a.score(),
        a.pd(),
        a.riskLevel(),
        a.modelVersion(),
        a.dataAsOf(),
        reasons,
        OffsetDateTime.ofInstant(a.evaluatedAt(), ZoneOffset.UTC),
        grade(a.pd()));
  }
}
