package io.scoregate.scoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Keeps each company's current score in Postgres ({@code company_scores}): what monitoring compares
 * new scores with. A row is rewritten only when the score, PD, level, model or data changed, so
 * {@code computed_at} says since when the company has had this score.
 */
public final class ScoreRepository {

  private static final String UPSERT_SQL =
      """
      INSERT INTO company_scores AS s (company_id, score, pd, risk_level, model_version,
                                       data_as_of, reasons, computed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (company_id) DO UPDATE SET
        score = excluded.score, pd = excluded.pd, risk_level = excluded.risk_level,
        model_version = excluded.model_version, data_as_of = excluded.data_as_of,
        reasons = excluded.reasons, computed_at = excluded.computed_at
      WHERE (s.score, s.pd, s.risk_level, s.model_version, s.data_as_of)
            IS DISTINCT FROM (excluded.score, excluded.pd, excluded.risk_level,
                              excluded.model_version, excluded.data_as_of)
      """;

  private final SqlClient client;

  public ScoreRepository(SqlClient client) {
    this.client = client;
  }

  public Future<Void> save(long companyId, Assessment a) {
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
    return client
        .preparedQuery(UPSERT_SQL)
        .execute(
            Tuple.of(
                companyId,
                a.score(),
                a.pd(),
                a.riskLevel(),
                a.modelVersion(),
                a.dataAsOf(),
                reasons,
                OffsetDateTime.ofInstant(a.evaluatedAt(), ZoneOffset.UTC)))
        .mapEmpty();
  }
}
