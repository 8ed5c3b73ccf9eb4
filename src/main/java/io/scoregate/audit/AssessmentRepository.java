package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Records assessments, once each: the table is keyed by the hash of the canonical bytes, so
 * recording the same assessment again (two instances scoring one company, a re-scoring that finds
 * nothing new) changes nothing.
 */
public final class AssessmentRepository {

  private static final String INSERT_SQL =
      """
      INSERT INTO assessments (hash, country, national_id, model_version, score, pd, grade,
                               risk_level, data_as_of, body, recorded_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, convert_from($10, 'UTF8'), $11)
      ON CONFLICT (hash) DO NOTHING
      """;

  private final SqlClient client;

  public AssessmentRepository(SqlClient client) {
    this.client = client;
  }

  /** Records the assessment with this repository's client; completes once it is durable. */
  public Future<Void> record(AssessmentRecord a, Instant at) {
    return record(client, a, at);
  }

  /** The same in the caller's transaction (or any other client). */
  public Future<Void> record(SqlClient tx, AssessmentRecord a, Instant at) {
    return tx.preparedQuery(INSERT_SQL)
        .execute(
            Tuple.of(
                    io.vertx.core.buffer.Buffer.buffer(a.hash()),
                    a.country(),
                    a.nationalId(),
                    a.modelVersion(),
                    a.score(),
                    a.pd(),
                    a.grade(),
                    a.riskLevel(),
                    a.dataAsOf())
                .addValue(io.vertx.core.buffer.Buffer.buffer(a.body()))
                .addValue(at.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }
}
