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

  /**
   * The same for an assessment recorded on its own (a cache miss), committed without waiting for
   * its WAL to reach the disk. Nothing can reference it before a decision's own commit, which comes
   * later in the WAL and is flushed with everything before it: a decision durable on it makes it
   * durable too, and one lost in a crash was referenced by nothing (the next miss makes it again).
   * The wait it saves is a flush per miss, and on a pipelined connection the reads queued behind
   * it.
   */
  private static final String INSERT_UNFLUSHED_SQL =
      """
      INSERT INTO assessments (hash, country, national_id, model_version, score, pd, grade,
                               risk_level, data_as_of, body, recorded_at)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, convert_from($10, 'UTF8'), $11
      FROM (SELECT set_config('synchronous_commit', 'off', true)) AS without_flush
      ON CONFLICT (hash) DO NOTHING
      """;

  private final SqlClient client;

  public AssessmentRepository(SqlClient client) {
    this.client = client;
  }

  /**
   * Records the assessment with this repository's client, in a statement of its own; completes once
   * it is committed, and is durable once any later commit is (a decision's on it), not before.
   */
  public Future<Void> record(AssessmentRecord a, Instant at) {
    return insert(client, INSERT_UNFLUSHED_SQL, a, at);
  }

  /** The same in the caller's transaction (or any other client), durable with its commit. */
  public Future<Void> record(SqlClient tx, AssessmentRecord a, Instant at) {
    return insert(tx, INSERT_SQL, a, at);
  }

  private static Future<Void> insert(SqlClient tx, String sql, AssessmentRecord a, Instant at) {
    return tx.preparedQuery(sql)
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
