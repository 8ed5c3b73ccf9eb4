package io.scoregate.batch;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The batch tables: jobs, input lines, chunk leases and results. */
final class BatchRepository {

  private static final String COLUMNS =
      "id, tenant_id, mode, source, portfolio_id, status, total, invalid, succeeded, failed,"
          + " chunks, quota_charged, error, created_at, queued_at, started_at, finished_at,"
          + " expires_at, purged_at";

  /**
   * The oldest claimable chunk of a queued or running batch: pending, and never leased or its lease
   * expired. SKIP LOCKED: instances claiming at once each get another chunk.
   */
  private static final String CLAIM_SQL =
      """
      WITH pick AS (
        SELECT c.batch_id, c.chunk FROM batch_chunks c JOIN batches b ON b.id = c.batch_id
        WHERE c.status = 'pending' AND (c.lease_until IS NULL OR c.lease_until < $2)
          AND b.status IN ('queued', 'running')
        ORDER BY b.created_at, c.batch_id, c.chunk
        LIMIT 1 FOR UPDATE OF c SKIP LOCKED),
      leased AS (
        UPDATE batch_chunks c SET lease_owner = $1, lease_until = $3, attempts = c.attempts + 1
        FROM pick WHERE c.batch_id = pick.batch_id AND c.chunk = pick.chunk
        RETURNING c.batch_id, c.chunk, c.first_line, c.last_line, c.attempts),
      started AS (
        UPDATE batches b SET status = 'running', started_at = coalesce(b.started_at, $2)
        FROM leased WHERE b.id = leased.batch_id AND b.status = 'queued')
      SELECT leased.*, b.tenant_id, b.mode FROM leased JOIN batches b ON b.id = leased.batch_id
      """;

  private final Pool pool;

  BatchRepository(Pool pool) {
    this.pool = pool;
  }

  /** A chunk leased to this instance. */
  record Chunk(
      UUID batchId,
      int chunk,
      int firstLine,
      int lastLine,
      int attempts,
      String tenantId,
      String mode) {}

  /** One line's result, ready to store. */
  record Result(int line, String reference, boolean ok, String json) {}

  /** A stored result, in input order. */
  record StoredResult(int line, String reference, boolean ok, String json) {}

  Future<Void> create(
      UUID id,
      String tenantId,
      String mode,
      String source,
      UUID portfolioId,
      String requestId,
      Instant now) {
    return pool.preparedQuery(
            "INSERT INTO batches (id, tenant_id, mode, source, portfolio_id, status, request_id,"
                + " created_at) VALUES ($1, $2, $3, $4, $5, 'validating', $6, $7)")
        .execute(Tuple.of(id, tenantId, mode, source, portfolioId, requestId, time(now)))
        .mapEmpty();
  }

  /** Input lines, in one statement however many there are. */
  Future<Void> insertItems(UUID batchId, List<BatchItem> items) {
    int n = items.size();
    Integer[] lines = new Integer[n];
    String[] references = new String[n];
    String[] countries = new String[n];
    String[] ids = new String[n];
    String[] leis = new String[n];
    Double[] amounts = new Double[n];
    Integer[] terms = new Integer[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      BatchItem item = items.get(i);
      lines[i] = item.line();
      references[i] = item.reference();
      countries[i] = item.country();
      ids[i] = item.nationalId();
      leis[i] = item.lei();
      amounts[i] = item.amount();
      terms[i] = item.paymentTerm();
      errors[i] = item.error();
    }
    return pool.preparedQuery(
            "INSERT INTO batch_items (batch_id, line, reference, country, national_id, lei, amount,"
                + " payment_term, error) SELECT $1, * FROM unnest($2::int[], $3::text[],"
                + " $4::text[], $5::text[], $6::text[], $7::float8[], $8::int[], $9::text[])")
        .execute(
            Tuple.from(
                new Object[] {
                  batchId, lines, references, countries, ids, leis, amounts, terms, errors
                }))
        .mapEmpty();
  }

  /** Validated: cut into chunks and queued for the workers. */
  Future<BatchView> queue(
      UUID batchId, int total, int invalid, int chunkSize, long charged, Instant now) {
    int chunks = (total + chunkSize - 1) / chunkSize;
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "INSERT INTO batch_chunks (batch_id, chunk, first_line, last_line) SELECT $1,"
                        + " g, g * $2 + 1, least((g + 1) * $2, $3) FROM generate_series(0, $4 - 1)"
                        + " g")
                .execute(Tuple.of(batchId, chunkSize, total, chunks))
                .compose(
                    ignored ->
                        tx.preparedQuery(
                                "UPDATE batches SET status = 'queued', total = $2, invalid = $3,"
                                    + " chunks = $4, quota_charged = $5, queued_at = $6 WHERE id ="
                                    + " $1 RETURNING "
                                    + COLUMNS)
                            .execute(Tuple.of(batchId, total, invalid, chunks, charged, time(now))))
                .map(rows -> view(rows.iterator().next())));
  }

  /** A submission that was refused or replayed: nothing of it stays. */
  Future<Void> discard(UUID batchId) {
    return pool.preparedQuery("DELETE FROM batches WHERE id = $1 AND status = 'validating'")
        .execute(Tuple.of(batchId))
        .mapEmpty();
  }

  Future<BatchView> find(String tenantId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM batches WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  /** The tenant's submitted batches, newest first, after the keyset cursor (if any). */
  Future<List<BatchView>> list(String tenantId, Instant beforeCreated, UUID beforeId, int limit) {
    String where =
        beforeCreated == null
            ? "WHERE tenant_id = $1 AND status <> 'validating'"
            : "WHERE tenant_id = $1 AND status <> 'validating' AND (created_at, id) < ($3, $4)";
    Tuple args =
        beforeCreated == null
            ? Tuple.of(tenantId, limit)
            : Tuple.of(tenantId, limit, time(beforeCreated), beforeId);
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM batches "
                + where
                + " ORDER BY created_at DESC, id DESC LIMIT $2")
        .execute(args)
        .map(BatchRepository::views);
  }

  /** Cancels a batch that has not finished; returns it as it is afterwards (null: not found). */
  Future<BatchView> cancel(String tenantId, UUID id, Instant now, Instant expires) {
    return pool.preparedQuery(
            "UPDATE batches SET status = 'cancelled', finished_at = $3, expires_at = $4 WHERE id ="
                + " $1 AND tenant_id = $2 AND status IN ('queued', 'running')")
        .execute(Tuple.of(id, tenantId, time(now), time(expires)))
        .compose(ignored -> find(tenantId, id));
  }

  Future<Chunk> claim(String owner, Instant now, Instant leaseUntil) {
    return pool.preparedQuery(CLAIM_SQL)
        .execute(Tuple.of(owner, time(now), time(leaseUntil)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new Chunk(
                  r.getUUID("batch_id"),
                  r.getInteger("chunk"),
                  r.getInteger("first_line"),
                  r.getInteger("last_line"),
                  r.getInteger("attempts"),
                  r.getString("tenant_id"),
                  r.getString("mode"));
            });
  }

  Future<List<BatchItem>> items(UUID batchId, int firstLine, int lastLine) {
    return pool.preparedQuery(
            "SELECT line, reference, country, national_id, lei, amount, payment_term, error FROM"
                + " batch_items WHERE batch_id = $1 AND line BETWEEN $2 AND $3 ORDER BY line")
        .execute(Tuple.of(batchId, firstLine, lastLine))
        .map(
            rows -> {
              List<BatchItem> items = new ArrayList<>(rows.size());
              for (Row r : rows) {
                items.add(
                    new BatchItem(
                        r.getInteger(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getDouble(5),
                        r.getInteger(6),
                        r.getString(7)));
              }
              return items;
            });
  }

  /**
   * Stores a chunk's results, marks it done and counts them on the batch, in one transaction, and
   * only while this instance still holds the chunk: a chunk finished by another instance after this
   * one's lease expired is not stored twice. When it was the batch's last chunk the batch completes
   * and {@code onFinished} runs in the same transaction. Returns false when the chunk was no longer
   * this instance's.
   */
  Future<Boolean> complete(
      Chunk chunk,
      String owner,
      List<Result> results,
      Instant now,
      Instant expires,
      java.util.function.BiFunction<SqlConnection, BatchView, Future<Void>> onFinished) {
    int n = results.size();
    Integer[] lines = new Integer[n];
    String[] references = new String[n];
    Boolean[] oks = new Boolean[n];
    String[] jsons = new String[n];
    int succeeded = 0;
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      lines[i] = r.line();
      references[i] = r.reference();
      oks[i] = r.ok();
      jsons[i] = r.json();
      succeeded += r.ok() ? 1 : 0;
    }
    int ok = succeeded;
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE batch_chunks SET status = 'done', done_by = $3, done_at = $4,"
                        + " lease_until = NULL WHERE batch_id = $1 AND chunk = $2 AND status ="
                        + " 'pending' AND lease_owner = $3")
                .execute(Tuple.of(chunk.batchId(), chunk.chunk(), owner, time(now)))
                .compose(
                    marked -> {
                      if (marked.rowCount() == 0) {
                        return Future.succeededFuture(false);
                      }
                      return tx.preparedQuery(
                              "INSERT INTO batch_results (batch_id, line, reference, ok, result)"
                                  + " SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bool[],"
                                  + " $5::text[])")
                          .execute(
                              Tuple.from(
                                  new Object[] {chunk.batchId(), lines, references, oks, jsons}))
                          .compose(
                              inserted ->
                                  tx.preparedQuery(
                                          "UPDATE batches SET succeeded = succeeded + $2, failed ="
                                              + " failed + $3 WHERE id = $1 RETURNING "
                                              + COLUMNS)
                                      .execute(Tuple.of(chunk.batchId(), ok, n - ok)))
                          .compose(
                              counted ->
                                  tx.preparedQuery(
                                          "UPDATE batches SET status = 'completed', finished_at ="
                                              + " $2, expires_at = $3 WHERE id = $1 AND status ="
                                              + " 'running' AND succeeded + failed = total"
                                              + " RETURNING "
                                              + COLUMNS)
                                      .execute(Tuple.of(chunk.batchId(), time(now), time(expires))))
                          .compose(
                              finished ->
                                  finished.size() == 0
                                      ? Future.succeededFuture(true)
                                      : onFinished
                                          .apply(tx, view(finished.iterator().next()))
                                          .map(true));
                    }));
  }

  /**
   * Gives a chunk back after a failure, to be claimed again at once. Past {@code maxAttempts} the
   * batch fails instead, and {@code onFinished} runs in that transaction.
   */
  Future<Void> release(
      Chunk chunk,
      String owner,
      int maxAttempts,
      String reason,
      Instant now,
      Instant expires,
      java.util.function.BiFunction<SqlConnection, BatchView, Future<Void>> onFinished) {
    if (chunk.attempts() < maxAttempts) {
      return pool.preparedQuery(
              "UPDATE batch_chunks SET lease_until = NULL, lease_owner = NULL WHERE batch_id = $1"
                  + " AND chunk = $2 AND lease_owner = $3 AND status = 'pending'")
          .execute(Tuple.of(chunk.batchId(), chunk.chunk(), owner))
          .mapEmpty();
    }
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE batches SET status = 'failed', error = $2, finished_at = $3,"
                        + " expires_at = $4 WHERE id = $1 AND status IN ('queued', 'running')"
                        + " RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(chunk.batchId(), reason, time(now), time(expires)))
                .compose(
                    failed ->
                        failed.size() == 0
                            ? Future.<Void>succeededFuture()
                            : onFinished.apply(tx, view(failed.iterator().next()))));
  }

  /**
   * At start: the leases this instance held before it stopped (a crash, kill -9) are given back, so
   * its restart takes them over at once instead of after the lease.
   */
  Future<Integer> releaseAll(String owner) {
    return pool.preparedQuery(
            "UPDATE batch_chunks SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = $1"
                + " AND status = 'pending'")
        .execute(Tuple.of(owner))
        .map(RowSet::rowCount);
  }

  Future<List<StoredResult>> results(UUID batchId, int afterLine, int limit) {
    return pool.preparedQuery(
            "SELECT line, reference, ok, result FROM batch_results WHERE batch_id = $1 AND line >"
                + " $2 ORDER BY line LIMIT $3")
        .execute(Tuple.of(batchId, afterLine, limit))
        .map(
            rows -> {
              List<StoredResult> page = new ArrayList<>(rows.size());
              for (Row r : rows) {
                page.add(
                    new StoredResult(
                        r.getInteger(0), r.getString(1), r.getBoolean(2), r.getString(3)));
              }
              return page;
            });
  }

  /** Batches whose results are past their time: their lines and results go, the job stays. */
  Future<Integer> purge(Instant now, int limit) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE batches SET purged_at = $1 WHERE id IN (SELECT id FROM batches WHERE"
                        + " purged_at IS NULL AND expires_at < $1 ORDER BY expires_at LIMIT $2"
                        + " FOR UPDATE SKIP LOCKED) RETURNING id")
                .execute(Tuple.of(time(now), limit))
                .compose(
                    purged -> {
                      List<UUID> ids = new ArrayList<>();
                      purged.forEach(r -> ids.add(r.getUUID(0)));
                      if (ids.isEmpty()) {
                        return Future.succeededFuture(0);
                      }
                      UUID[] array = ids.toArray(UUID[]::new);
                      return tx.preparedQuery("DELETE FROM batch_results WHERE batch_id = ANY($1)")
                          .execute(Tuple.of(array))
                          .compose(
                              r ->
                                  tx.preparedQuery(
                                          "DELETE FROM batch_items WHERE batch_id = ANY($1)")
                                      .execute(Tuple.of(array)))
                          .compose(
                              r ->
                                  tx.preparedQuery(
                                          "DELETE FROM batch_chunks WHERE batch_id = ANY($1)")
                                      .execute(Tuple.of(array)))
                          .map(r -> ids.size());
                    }));
  }

  /** Submissions still validating long after any upload could last: their instance died. */
  Future<Integer> discardAbandoned(Instant createdBefore) {
    return pool.preparedQuery("DELETE FROM batches WHERE status = 'validating' AND created_at < $1")
        .execute(Tuple.of(time(createdBefore)))
        .map(RowSet::rowCount);
  }

  /** Whether the portfolio is the tenant's. */
  Future<Boolean> portfolioOf(String tenantId, UUID portfolioId) {
    return pool.preparedQuery("SELECT 1 FROM portfolios WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(portfolioId, tenantId))
        .map(rows -> rows.size() == 1);
  }

  /** A page of a portfolio's members, by reference, after {@code afterReference}. */
  Future<RowSet<Row>> members(UUID portfolioId, String afterReference, int limit) {
    return pool.preparedQuery(
            "SELECT m.reference, c.country, c.national_id, m.exposure::float8, m.payment_terms_days"
                + " FROM portfolio_members m JOIN companies c ON c.id = m.company_id WHERE"
                + " m.portfolio_id = $1 AND m.reference > $2 ORDER BY m.reference LIMIT $3")
        .execute(Tuple.of(portfolioId, afterReference, limit));
  }

  private static List<BatchView> views(RowSet<Row> rows) {
    List<BatchView> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(view(r)));
    return out;
  }

  private static BatchView view(Row r) {
    return new BatchView(
        r.getUUID("id"),
        r.getString("tenant_id"),
        r.getString("mode"),
        r.getString("source"),
        r.getUUID("portfolio_id"),
        r.getString("status"),
        r.getInteger("total"),
        r.getInteger("invalid"),
        r.getInteger("succeeded"),
        r.getInteger("failed"),
        r.getInteger("chunks"),
        r.getLong("quota_charged"),
        r.getString("error"),
        instant(r, "created_at"),
        instant(r, "queued_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"),
        instant(r, "expires_at"),
        instant(r, "purged_at"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime time(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
