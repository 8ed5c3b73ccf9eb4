package io.scoregate.rollout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the shadow model's scores to {@code shadow_scores} off the request path: calls only queue
 * a row, a timer writes the queue in multi-row inserts. The queue is bounded; when it is full (or
 * Postgres refuses a batch) rows are dropped and counted, never the call failed: shadow scores
 * serve the comparison, the journal keeps the decisions.
 */
public final class ShadowRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowRecorder.class);

  private static final String INSERT =
      "INSERT INTO shadow_scores (scored_at, country, national_id, champion_version, champion_pd,"
          + " candidate_version, candidate_pd)"
          + " SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[],"
          + " $5::float8[], $6::text[], $7::float8[])";

  /** The shadow model's PD beside the champion's for one company, at one evaluation. */
  public record Row(
      Instant at,
      String country,
      String nationalId,
      String championVersion,
      double championPd,
      String candidateVersion,
      double candidatePd) {}

  private final SqlClient client;
  private final int maxPending;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Row> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Counter written;
  private final Counter dropped;

  public ShadowRecorder(SqlClient client, int maxPending, int maxBatch, MeterRegistry registry) {
    this.client = client;
    this.maxPending = maxPending;
    this.maxBatch = maxBatch;
    this.written = registry.counter("scoregate.shadow.scores", "result", "written");
    this.dropped = registry.counter("scoregate.shadow.scores", "result", "dropped");
  }

  /** Writes the queue every {@code flushMs}; returns the timer id. */
  public long start(Vertx vertx, long flushMs) {
    return vertx.setPeriodic(flushMs, id -> flush());
  }

  /** Queues one shadow score; never blocks, never fails. */
  public void record(Row row) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.add(row);
  }

  /** Writes what is queued, one batch at a time; a write already running is left to finish. */
  public Future<Void> flush() {
    if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    List<Row> batch = new ArrayList<>();
    Row row;
    while (batch.size() < maxBatch && (row = queue.poll()) != null) {
      batch.add(row);
    }
    pending.addAndGet(-batch.size());
    int n = batch.size();
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] country = new String[n];
    String[] nationalId = new String[n];
    String[] champion = new String[n];
    Double[] championPd = new Double[n];
    String[] candidate = new String[n];
    Double[] candidatePd = new Double[n];
    for (int i = 0; i < n; i++) {
      Row r = batch.get(i);
      at[i] = r.at().atOffset(ZoneOffset.UTC);
      country[i] = r.country();
      nationalId[i] = r.nationalId();
      champion[i] = r.championVersion();
      championPd[i] = r.championPd();
      candidate[i] = r.candidateVersion();
      candidatePd[i] = r.candidatePd();
    }
    return client
        .preparedQuery(INSERT)
        .execute(Tuple.of(at, country, nationalId, champion, championPd, candidate, candidatePd))
        .<Void>map(
            rows -> {
              written.increment(n);
              return null;
            })
        .recover(
            e -> {
              dropped.increment(n);
              LOG.warn("{} shadow scores not written: {}", n, e.getMessage());
              return Future.succeededFuture();
            })
        .onComplete(
            ignored -> {
              writing.set(false);
              if (!queue.isEmpty()) {
                flush();
              }
            });
  }
}
