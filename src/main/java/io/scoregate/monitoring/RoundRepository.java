package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-scoring rounds and their chunks ({@code rescore_rounds}, {@code rescore_chunks}): every
 * instance may create a round (one wins, by the unique indexes) and claims due chunks with {@code
 * FOR UPDATE SKIP LOCKED}, so no two instances take the same chunk, and a chunk whose lease ran out
 * is taken again.
 */
final class RoundRepository {

  /** A claimed chunk: the company ids it covers and the cause of its round. */
  record Chunk(long roundId, int seq, long firstCompanyId, long lastCompanyId, String cause) {}

  /** A watched company of a chunk. */
  record Watched(long companyId, CompanyKey key) {}

  private static final String CREATE_SQL =
      """
      INSERT INTO rescore_rounds (cause, period_start, period_end, model_version, created_at)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING
      RETURNING id
      """;

  // Chunks of chunkSize watched companies, in company id order, due evenly over the period.
  private static final String CHUNKS_SQL =
      """
      WITH watched AS (
        SELECT company_id, (row_number() OVER (ORDER BY company_id) - 1) / $2 AS seq
        FROM (SELECT DISTINCT company_id FROM portfolio_members) d),
      chunks AS (
        SELECT seq, min(company_id) AS first_id, max(company_id) AS last_id, count(*) AS n
        FROM watched GROUP BY seq),
      total AS (SELECT count(*) AS chunks, coalesce(sum(n), 0) AS companies FROM chunks),
      inserted AS (
        INSERT INTO rescore_chunks (round_id, seq, first_company_id, last_company_id, due_at)
        SELECT $1, seq, first_id, last_id,
               $3::timestamptz + ($4::timestamptz - $3::timestamptz) * (seq::float8 / t.chunks)
        FROM chunks, total t
        RETURNING 1)
      UPDATE rescore_rounds SET companies = (SELECT companies FROM total)
      WHERE id = $1
      RETURNING companies
      """;

  private static final String CLAIM_SQL =
      """
      UPDATE rescore_chunks c SET claimed_by = $1, lease_until = $3
      FROM (SELECT round_id, seq FROM rescore_chunks
            WHERE done_at IS NULL AND due_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
            ORDER BY due_at, round_id, seq
            LIMIT 1
            FOR UPDATE SKIP LOCKED) due, rescore_rounds r
      WHERE c.round_id = due.round_id AND c.seq = due.seq AND r.id = c.round_id
      RETURNING c.round_id, c.seq, c.first_company_id, c.last_company_id, r.cause
      """;

  private static final String COMPANIES_SQL =
      """
      SELECT c.id, c.country, c.national_id FROM companies c
      WHERE c.id BETWEEN $1 AND $2
        AND EXISTS (SELECT 1 FROM portfolio_members m WHERE m.company_id = c.id)
      ORDER BY c.id
      """;

  private static final String DONE_SQL =
      """
      UPDATE rescore_chunks SET done_at = $4, rescored = $5, changed = $6
      WHERE round_id = $1 AND seq = $2 AND claimed_by = $3 AND done_at IS NULL
      """;

  private static final String COMPLETE_SQL =
      """
      UPDATE rescore_rounds SET completed_at = $2
      WHERE id = $1 AND completed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM rescore_chunks WHERE round_id = $1 AND done_at IS NULL)
      """;

  private final Pool pool;

  RoundRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Creates the round with its chunks unless it exists (another instance made it first); the number
   * of companies in it, or -1 when it already existed.
   */
  Future<Integer> create(
      String cause,
      Instant periodStart,
      Instant periodEnd,
      String modelVersion,
      Instant now,
      int chunkSize) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(CREATE_SQL)
                .execute(Tuple.of(cause, at(periodStart), at(periodEnd), modelVersion, at(now)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(-1);
                      }
                      long id = rows.iterator().next().getLong(0);
                      return tx.preparedQuery(CHUNKS_SQL)
                          .execute(Tuple.of(id, chunkSize, at(periodStart), at(periodEnd)))
                          .map(r -> r.iterator().next().getInteger(0));
                    }));
  }

  /** The next due chunk no instance holds, now held by {@code instance}; null when none. */
  Future<Chunk> claim(String instance, Instant now, Instant leaseUntil) {
    return pool.preparedQuery(CLAIM_SQL)
        .execute(Tuple.of(instance, at(now), at(leaseUntil)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new Chunk(
                  r.getLong(0), r.getInteger(1), r.getLong(2), r.getLong(3), r.getString(4));
            });
  }

  Future<List<Watched>> companies(Chunk chunk) {
    return pool.preparedQuery(COMPANIES_SQL)
        .execute(Tuple.of(chunk.firstCompanyId(), chunk.lastCompanyId()))
        .map(
            rows -> {
              List<Watched> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(new Watched(r.getLong(0), new CompanyKey(r.getString(1), r.getString(2))));
              }
              return out;
            });
  }

  /** Marks the chunk done (if this instance still holds it) and the round complete when it is. */
  Future<Void> done(Chunk chunk, String instance, Instant now, int rescored, int changed) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(DONE_SQL)
                .execute(
                    Tuple.of(chunk.roundId(), chunk.seq(), instance, at(now), rescored, changed))
                .compose(
                    v ->
                        tx.preparedQuery(COMPLETE_SQL)
                            .execute(Tuple.of(chunk.roundId(), at(now)))
                            .mapEmpty()));
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
