package io.scoregate.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes decisions durable before they are answered, with group commit: while one insert is in
 * flight, new decisions queue up and the next insert takes them all in one statement, so a burst
 * costs one round trip, not one per decision. Each instance has one writer with its own hash chain,
 * living on one event loop (its home, where {@link #start()} was called): it needs no lock and
 * never waits on another instance. Decisions appended from other event loops go to the home loop
 * and their outcome comes back to the caller's: one writer per instance, not one per event loop,
 * halves the commits Postgres makes and doubles what each carries.
 *
 * <p>If an insert fails, its decisions fail (the caller answers 503) and the chain head is read
 * back from Postgres before the next insert, since a timed-out insert may still have committed.
 */
public final class JournalWriter {

  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  /** The deadline of a decision that waits as long as it takes (batch lines). */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final String INSERT_SQL =
      """
      INSERT INTO decision_journal (decision_id, created_at, writer_id, seq, tenant_id, request_id,
          country, national_id, model_version, policy_version, assessment_hash, scored_at, amount,
          payment_term, recommendation, max_amount, max_payment_term, policy_reasons, prev_hash,
          hash, policy_rule, exposure, amount_cap)
      SELECT d, c, $3, s, t, r, co, n, m, p, a, sc, am, pt, rec, ma, mt,
             CASE WHEN pr = '' THEN NULL ELSE string_to_array(pr, ',') END, ph, h, pru, ex, cap
      FROM unnest($1::uuid[], $2::timestamptz[], $4::int8[], $5::text[], $6::text[], $7::text[],
                  $8::text[], $9::text[], $10::text[], $11::bytea[], $12::timestamptz[],
                  $13::float8[], $14::int4[], $15::text[], $16::int8[], $17::int4[], $18::text[],
                  $19::bytea[], $20::bytea[], $21::text[], $22::float8[], $23::float8[])
           AS x(d, c, s, t, r, co, n, m, p, a, sc, am, pt, rec, ma, mt, pr, ph, h, pru, ex, cap)
      """;

  private static final String HEAD_SQL =
      "SELECT seq, hash FROM decision_journal WHERE writer_id = $1 ORDER BY seq DESC LIMIT 1";

  private final SqlClient client;
  private final String writerId;
  private final int maxBatchRows;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private boolean headKnown;
  private long seq;
  private byte[] head = ChainHash.GENESIS;

  private volatile Context home;
  private volatile Thread homeThread;

  private final Timer commits;
  private final Timer appends;
  private final DistributionSummary batchRows;
  private final Counter expired;

  /**
   * A decision waiting for its commit; {@code caller} is null when it came from the home loop;
   * {@code appendedAt} is {@link System#nanoTime()} when it was appended, {@code deadline} the
   * {@link System#nanoTime()} after which its answer has gone, {@link #NO_DEADLINE} for none.
   */
  private record Pending(
      JournalEntry entry,
      Promise<JournalReceipt> promise,
      Context caller,
      long appendedAt,
      long deadline) {

    /** Past its caller's deadline: its answer has gone (a timeout) or is about to. */
    boolean expired(long now) {
      return deadline != NO_DEADLINE && now - deadline > 0;
    }
  }

  /** Where a decision landed in its chain. */
  public record JournalReceipt(String writerId, long seq, byte[] hash) {}

  public JournalWriter(
      SqlClient client, String writerId, int maxBatchRows, MeterRegistry registry) {
    this.client = client;
    this.writerId = writerId;
    this.maxBatchRows = maxBatchRows;
    this.commits =
        Timer.builder("scoregate.journal.commit")
            .description("One group commit: the insert of a batch of decisions until Postgres acks")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(registry);
    this.appends =
        Timer.builder("scoregate.journal.append")
            .description(
                "One decision, from its append until its commit is known on the writer's loop:"
                    + " the wait behind the insert in flight plus its own")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(registry);
    this.batchRows =
        DistributionSummary.builder("scoregate.journal.batch.rows")
            .description("Decisions per group commit")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.expired =
        Counter.builder("scoregate.journal.expired")
            .description(
                "Decisions not written: their request's deadline passed before they were"
                    + " (overload), and they failed instead")
            .register(registry);
  }

  /**
   * Reads where this writer's chain stands; call once, from the event loop that will own the
   * writer. When Postgres is down the gateway still starts (not ready) and the head is read before
   * the first insert.
   */
  public Future<Void> start() {
    home = Vertx.currentContext();
    if (home == null || !home.isEventLoopContext()) {
      throw new IllegalStateException("a journal writer starts on an event loop");
    }
    homeThread = Thread.currentThread();
    return loadHead()
        .recover(
            e -> {
              LOG.warn("journal head of {} not read yet: {}", writerId, e.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * Completes, on the caller's event loop, once the entry is committed; fails with {@link
   * JournalUnavailableException}. Call from any event loop.
   */
  public Future<JournalReceipt> append(JournalEntry entry) {
    return append(entry, NO_DEADLINE);
  }

  /**
   * As {@link #append(JournalEntry)}, for a caller whose answer is due by {@code deadline} (a
   * {@link System#nanoTime()}: a request's arrival plus its timeout, so that the time it spent
   * before the journal counts): a decision past it, when appended or still queued, is not written
   * and fails with {@link JournalUnavailableException}, so an overloaded writer spends nothing on
   * decisions whose answer has already gone. {@link #NO_DEADLINE} waits as long as it takes.
   */
  public Future<JournalReceipt> append(JournalEntry entry, long deadline) {
    long now = System.nanoTime();
    if (deadline != NO_DEADLINE && now - deadline > 0) {
      expired.increment();
      return Future.failedFuture(tooLate());
    }
    Context caller = Vertx.currentContext();
    Promise<JournalReceipt> promise = Promise.promise();
    if (caller == home) {
      enqueue(new Pending(entry, promise, null, now, deadline));
    } else if (Thread.currentThread() == homeThread) {
      // Another context (an HTTP request's) on the writer's own event loop: the writer's state
      // is this thread's, so the decision queues at once, without a task through the loop; its
      // outcome still comes back on its own context.
      enqueue(new Pending(entry, promise, caller, now, deadline));
    } else {
      Pending pending = new Pending(entry, promise, caller, now, deadline);
      home.runOnContext(v -> enqueue(pending));
    }
    return promise.future();
  }

  private static JournalUnavailableException tooLate() {
    return new JournalUnavailableException(
        "The decision waited too long for the journal; retry later.", null);
  }

  private void enqueue(Pending pending) {
    queue.add(pending);
    if (!flushing) {
      flush();
    }
  }

  /**
   * Completes once every decision appended so far is committed (or has failed): what a shutdown
   * waits for. Call from any thread.
   */
  public Future<Void> drained() {
    Promise<Void> promise = Promise.promise();
    home.runOnContext(
        v -> {
          if (!flushing && queue.isEmpty()) {
            promise.complete();
          } else {
            drainWaiters.add(promise);
          }
        });
    return promise.future();
  }

  private void flush() {
    if (queue.isEmpty()) {
      flushing = false;
      drainWaiters.forEach(Promise::tryComplete);
      drainWaiters.clear();
      return;
    }
    flushing = true;
    Future<Void> ready = headKnown ? Future.succeededFuture() : loadHead();
    ready
        .compose(
            v -> {
              List<Pending> batch = drain();
              return batch.isEmpty() ? Future.<Void>succeededFuture() : write(batch);
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                headKnown = false;
              }
              flush();
            });
  }

  private List<Pending> drain() {
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatchRows));
    long now = System.nanoTime();
    while (batch.size() < maxBatchRows && !queue.isEmpty()) {
      Pending pending = queue.poll();
      if (pending.expired(now)) {
        expired.increment();
        settle(pending, p -> p.tryFail(tooLate()));
      } else {
        batch.add(pending);
      }
    }
    return batch;
  }

  private Future<Void> write(List<Pending> batch) {
    int n = batch.size();
    UUID[] ids = new UUID[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    Long[] seqs = new Long[n];
    String[] tenants = new String[n];
    String[] requests = new String[n];
    String[] countries = new String[n];
    String[] nationalIds = new String[n];
    String[] models = new String[n];
    String[] policies = new String[n];
    Buffer[] assessments = new Buffer[n];
    OffsetDateTime[] scoredAt = new OffsetDateTime[n];
    Double[] amounts = new Double[n];
    Integer[] terms = new Integer[n];
    String[] recommendations = new String[n];
    Long[] maxAmounts = new Long[n];
    Integer[] maxTerms = new Integer[n];
    // Reason codes travel joined: Postgres has no arrays of arrays of varying length.
    String[] reasons = new String[n];
    String[] rules = new String[n];
    Double[] exposures = new Double[n];
    Double[] caps = new Double[n];
    Buffer[] prevHashes = new Buffer[n];
    Buffer[] hashes = new Buffer[n];
    JournalReceipt[] receipts = new JournalReceipt[n];
    byte[] prev = head;
    long s = seq;
    for (int i = 0; i < n; i++) {
      JournalEntry e = batch.get(i).entry();
      s++;
      byte[] hash = ChainHash.of(prev, writerId, s, e);
      ids[i] = e.decisionId();
      times[i] = OffsetDateTime.ofInstant(e.createdAt(), ZoneOffset.UTC);
      seqs[i] = s;
      tenants[i] = e.tenantId();
      requests[i] = e.requestId();
      countries[i] = e.country();
      nationalIds[i] = e.nationalId();
      models[i] = e.modelVersion();
      policies[i] = e.policyVersion();
      assessments[i] = Buffer.buffer(e.assessmentHash());
      scoredAt[i] = OffsetDateTime.ofInstant(e.scoredAt(), ZoneOffset.UTC);
      amounts[i] = e.amount();
      terms[i] = e.paymentTerm();
      recommendations[i] = e.recommendation();
      maxAmounts[i] = e.maxAmount();
      maxTerms[i] = e.maxPaymentTerm();
      reasons[i] = String.join(",", e.policyReasons());
      rules[i] = e.policyRule();
      exposures[i] = e.exposure();
      caps[i] = e.amountCap();
      prevHashes[i] = Buffer.buffer(prev);
      hashes[i] = Buffer.buffer(hash);
      receipts[i] = new JournalReceipt(writerId, s, hash);
      prev = hash;
    }
    long lastSeq = s;
    byte[] lastHash = prev;
    batchRows.record(n);
    long sent = System.nanoTime();
    Tuple params =
        Tuple.of(ids, times, writerId, seqs, tenants, requests, countries, nationalIds, models)
            .addValue(policies)
            .addValue(assessments)
            .addValue(scoredAt)
            .addValue(amounts)
            .addValue(terms)
            .addValue(recommendations)
            .addValue(maxAmounts)
            .addValue(maxTerms)
            .addValue(reasons)
            .addValue(prevHashes)
            .addValue(hashes)
            .addValue(rules)
            .addValue(exposures)
            .addValue(caps);
    return client
        .preparedQuery(INSERT_SQL)
        .execute(params)
        .<Void>map(
            rows -> {
              seq = lastSeq;
              head = lastHash;
              long committed = System.nanoTime();
              commits.record(committed - sent, TimeUnit.NANOSECONDS);
              for (int i = 0; i < n; i++) {
                JournalReceipt receipt = receipts[i];
                Pending pending = batch.get(i);
                appends.record(committed - pending.appendedAt(), TimeUnit.NANOSECONDS);
                settle(pending, p -> p.complete(receipt));
              }
              return null;
            })
        .onFailure(
            e -> {
              LOG.warn("journal insert of {} decisions failed: {}", n, e.getMessage());
              JournalUnavailableException failure =
                  new JournalUnavailableException(
                      "The decision could not be recorded, so it is not answered; retry later.", e);
              batch.forEach(p -> settle(p, promise -> promise.tryFail(failure)));
            });
  }

  private Future<Void> loadHead() {
    return client
        .preparedQuery(HEAD_SQL)
        .execute(Tuple.of(writerId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                seq = 0;
                head = ChainHash.GENESIS;
              } else {
                Row row = rows.iterator().next();
                seq = row.getLong(0);
                head = row.getBuffer(1).getBytes();
              }
              headKnown = true;
              return (Void) null;
            })
        .onFailure(
            e -> {
              JournalUnavailableException failure =
                  new JournalUnavailableException(
                      "The decision journal is unavailable, so no decision is answered; retry later.",
                      e);
              // The queued decisions cannot be chained without the head: fail them now.
              while (!queue.isEmpty()) {
                settle(queue.poll(), promise -> promise.tryFail(failure));
              }
            });
  }

  /** Completes a decision's promise on the event loop that appended it. */
  private static void settle(Pending pending, Consumer<Promise<JournalReceipt>> outcome) {
    if (pending.caller() == null) {
      outcome.accept(pending.promise());
    } else {
      pending.caller().runOnContext(v -> outcome.accept(pending.promise()));
    }
  }
}
