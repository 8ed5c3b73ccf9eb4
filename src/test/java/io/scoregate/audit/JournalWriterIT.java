package io.scoregate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.SerializedString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One writer per gateway: decisions from every event loop go into one chain. */
class JournalWriterIT {

  /** The assessment the test's decisions reference, recorded as the gateway records one. */
  private static final AssessmentRecord ASSESSMENT =
      AssessmentRecord.of(
          "FR",
          "000000018",
          new SerializedString("{\"country\":\"FR\",\"id\":\"000000018\",\"name\":\"W\"}"),
          70,
          0.01,
          "G5",
          "low",
          "1.1.0",
          null,
          false,
          1000,
          500,
          List.of(),
          List.of(),
          new SerializedString("{}"),
          new SerializedString("{}"),
          new SerializedString("{}"),
          new SerializedString("{}"));

  private static JournalEntry entry(int i) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return new JournalEntry(
        UUID.randomUUID(),
        now,
        "writer-it",
        "req-" + i,
        "FR",
        "000000018",
        "1.1.0",
        "p",
        ASSESSMENT.hash(),
        now,
        1000.0 + i,
        30,
        "accept",
        20000,
        60,
        List.of(),
        null,
        null,
        5_000_000.0);
  }

  @Test
  void appendsFromSeveralEventLoopsFormOneGaplessChainAndCompleteOnTheCallersLoop()
      throws Exception {
    TestPostgres.ensureSchema();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestPostgres.pool(vertx);
      String writerId = "writer-it-" + UUID.randomUUID();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      JournalWriter writer = startedWriter(vertx, pool, writerId, registry);

      int perLoop = 150;
      ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
      Set<String> callerThreads = ConcurrentHashMap.newKeySet();
      List<Future<Void>> loops = new ArrayList<>();
      for (int loop = 0; loop < 3; loop++) {
        Context caller = eventLoopOfItsOwn(vertx);
        int base = loop * perLoop;
        Promise<Void> done = Promise.promise();
        caller.runOnContext(
            v -> {
              callerThreads.add(Thread.currentThread().getName());
              List<Future<JournalWriter.JournalReceipt>> appends = new ArrayList<>();
              for (int i = 0; i < perLoop; i++) {
                appends.add(
                    writer
                        .append(entry(base + i))
                        .onSuccess(
                            receipt -> {
                              seqs.add(receipt.seq());
                              if (Vertx.currentContext() != caller) {
                                wrongThread.add(Thread.currentThread().getName());
                              }
                            }));
              }
              Future.all(appends).<Void>mapEmpty().onComplete(done);
            });
        loops.add(done.future());
      }
      Future.all(loops).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      writer.drained().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(callerThreads).hasSizeGreaterThan(1);
      assertThat(wrongThread).isEmpty();
      assertThat(seqs).hasSize(3 * perLoop);
      assertThat(seqs.stream().sorted().toList())
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 3 * perLoop).boxed().toList());
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM decision_journal WHERE writer_id = '" + writerId + "'"))
          .isEqualTo(3 * perLoop);
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM decision_journal j WHERE writer_id = '"
                      + writerId
                      + "' AND seq > 1 AND prev_hash <> (SELECT hash FROM decision_journal p"
                      + " WHERE p.writer_id = j.writer_id AND p.seq = j.seq - 1)"))
          .isZero();
      // Operators see every decision's wait and every group commit, batches capped at 16 rows.
      assertThat(registry.get("scoregate.journal.append").timer().count()).isEqualTo(3 * perLoop);
      long commits = registry.get("scoregate.journal.commit").timer().count();
      assertThat(commits).isGreaterThanOrEqualTo(3 * perLoop / 16);
      assertThat(registry.get("scoregate.journal.batch.rows").summary().count()).isEqualTo(commits);
      assertThat(registry.get("scoregate.journal.batch.rows").summary().totalAmount())
          .isEqualTo(3 * perLoop);
      assertThat(registry.get("scoregate.journal.batch.rows").summary().max())
          .isLessThanOrEqualTo(16);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The context of a new verticle: each verticle gets the next event loop. */
  @Test
  void aDecisionQueuedLongerThanItsCallerAllowsIsNotWrittenAndFails() throws Exception {
    TestPostgres.ensureSchema();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestPostgres.pool(vertx);
      String writerId = "writer-it-" + UUID.randomUUID();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      JournalWriter writer = startedWriter(vertx, pool, writerId, registry);
      // Another session holds the journal against writes: the writer's insert in flight waits
      // for it, and the decisions appended meanwhile wait behind that insert.
      SqlConnection blocker = get(pool.getConnection());
      Transaction held = get(blocker.begin());
      get(blocker.query("LOCK TABLE decision_journal IN EXCLUSIVE MODE").execute());

      Context caller = eventLoopOfItsOwn(vertx);
      CompletableFuture<List<Future<JournalWriter.JournalReceipt>>> appended =
          new CompletableFuture<>();
      caller.runOnContext(
          v -> {
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            appended.complete(
                List.of(
                    writer.append(entry(0), due), // in flight at once: written
                    writer.append(entry(1), JournalWriter.NO_DEADLINE), // as long as it takes
                    writer.append(entry(2), due))); // still queued when due: not written
          });
      List<Future<JournalWriter.JournalReceipt>> appends = appended.get(10, TimeUnit.SECONDS);
      Thread.sleep(400);
      get(held.rollback());
      blocker.close();
      get(Future.join(appends).otherwiseEmpty());

      assertThat(appends.get(0).succeeded()).isTrue();
      assertThat(appends.get(1).succeeded()).isTrue();
      assertThat(appends.get(2).failed()).isTrue();
      assertThat(appends.get(2).cause()).isInstanceOf(JournalUnavailableException.class);
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM decision_journal WHERE writer_id = '" + writerId + "'"))
          .isEqualTo(2);
      assertThat(registry.counter("scoregate.journal.expired").count()).isEqualTo(1.0);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The deadline is the request's, not the append's: a request that spent its time before the
   * journal is not written even by an idle writer, while one with time left is.
   */
  @Test
  void aDecisionWhoseRequestIsAlreadyPastItsDeadlineIsNotWrittenEvenByAnIdleWriter()
      throws Exception {
    TestPostgres.ensureSchema();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestPostgres.pool(vertx);
      String writerId = "writer-it-" + UUID.randomUUID();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      JournalWriter writer = startedWriter(vertx, pool, writerId, registry);
      Context caller = eventLoopOfItsOwn(vertx);
      CompletableFuture<List<Future<JournalWriter.JournalReceipt>>> appended =
          new CompletableFuture<>();
      caller.runOnContext(
          v -> {
            long now = System.nanoTime();
            // Both arrived 150 ms ago; one had a timeout of 100 ms, the other of 10 s.
            long arrived = now - TimeUnit.MILLISECONDS.toNanos(150);
            appended.complete(
                List.of(
                    writer.append(entry(0), arrived + TimeUnit.MILLISECONDS.toNanos(100)),
                    writer.append(entry(1), arrived + TimeUnit.SECONDS.toNanos(10))));
          });
      List<Future<JournalWriter.JournalReceipt>> appends = appended.get(10, TimeUnit.SECONDS);
      get(Future.join(appends).otherwiseEmpty());

      assertThat(appends.get(0).failed()).isTrue();
      assertThat(appends.get(0).cause()).isInstanceOf(JournalUnavailableException.class);
      assertThat(appends.get(1).succeeded()).isTrue();
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM decision_journal WHERE writer_id = '" + writerId + "'"))
          .isEqualTo(1);
      assertThat(registry.counter("scoregate.journal.expired").count()).isEqualTo(1.0);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A writer of its own chain, on its verticle, with the assessment its decisions reference. */
  private static JournalWriter startedWriter(
      Vertx vertx, Pool pool, String writerId, SimpleMeterRegistry registry) throws Exception {
    JournalWriter writer = new JournalWriter(pool, writerId, 16, registry);
    get(new AssessmentRepository(pool).record(ASSESSMENT, Instant.now()));
    get(vertx.deployVerticle(new JournalVerticle(writer)));
    return writer;
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Context eventLoopOfItsOwn(Vertx vertx) throws Exception {
    CompletableFuture<Context> started = new CompletableFuture<>();
    vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                started.complete(context);
                return Future.succeededFuture();
              }
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return started.get(10, TimeUnit.SECONDS);
  }
}
