package io.scoregate.batch;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyRepository;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.scoring.DecisionService;
import io.scoregate.scoring.ScoringRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works batches, one chunk at a time: claims a chunk (any batch, oldest first, on any instance),
 * scores or decides its lines with at most {@code window} of them in flight, through the same
 * services as the real-time API, then stores the chunk's results and marks it done in one
 * transaction. A line whose company is unknown gets an error result; any other failure gives the
 * chunk back whole, to be retried (at most {@code batch.maxAttempts} times, then the batch fails).
 */
final class BatchWorker {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);

  private final BatchRepository repository;
  private final DecisionService decisions;
  private final CompanyRepository companies;
  private final List<BatchListener> listeners;
  private final BatchConfig config;
  private final String owner;
  private final int window;
  private final Clock clock;

  BatchWorker(
      BatchRepository repository,
      DecisionService decisions,
      CompanyRepository companies,
      List<BatchListener> listeners,
      BatchConfig config,
      String owner,
      int window,
      Clock clock) {
    this.repository = repository;
    this.decisions = decisions;
    this.companies = companies;
    this.listeners = List.copyOf(listeners);
    this.config = config;
    this.owner = owner;
    this.window = Math.max(1, window);
    this.clock = clock;
  }

  /**
   * Claims and works one chunk; true if there was one (the caller asks again at once), false when
   * there is nothing to do (the caller waits {@code batch.pollMs}).
   */
  Future<Boolean> next() {
    Instant now = clock.instant();
    return repository
        .claim(owner, now, now.plusMillis(config.leaseMs()))
        .compose(chunk -> chunk == null ? Future.succeededFuture(false) : work(chunk).map(true));
  }

  private Future<Void> work(BatchRepository.Chunk chunk) {
    return repository
        .items(chunk.batchId(), chunk.firstLine(), chunk.lastLine())
        .compose(items -> all(chunk, items))
        .compose(
            results -> {
              Instant now = clock.instant();
              return repository.complete(chunk, owner, results, now, expiry(now), this::finished);
            })
        .compose(
            stored -> {
              if (!stored) {
                LOG.info(
                    "chunk {} of batch {} was taken over by another instance; its results are"
                        + " theirs",
                    chunk.chunk(),
                    chunk.batchId());
              }
              return Future.<Void>succeededFuture();
            })
        .recover(
            e -> {
              LOG.warn(
                  "chunk {} of batch {} failed (attempt {}): {}",
                  chunk.chunk(),
                  chunk.batchId(),
                  chunk.attempts(),
                  e.getMessage());
              Instant now = clock.instant();
              return repository.release(
                  chunk,
                  owner,
                  config.maxAttempts(),
                  "A part of the batch failed " + chunk.attempts() + " times; the batch stopped.",
                  now,
                  expiry(now),
                  this::finished);
            });
  }

  private Instant expiry(Instant now) {
    return now.plus(java.time.Duration.ofHours(config.retentionHours()));
  }

  private Future<Void> finished(SqlConnection tx, BatchView batch) {
    Future<Void> chain = Future.succeededFuture();
    BatchSummary summary = batch.summary();
    for (BatchListener l : listeners) {
      chain = chain.compose(v -> l.onCompleted(tx, summary));
    }
    LOG.info(
        "batch {} {}: {} lines, {} succeeded, {} failed",
        batch.id(),
        batch.status(),
        batch.total(),
        batch.succeeded(),
        batch.failed());
    return chain;
  }

  /** Every item's result, in line order, with at most {@code window} in flight. */
  private Future<List<BatchRepository.Result>> all(
      BatchRepository.Chunk chunk, List<BatchItem> items) {
    BatchRepository.Result[] results = new BatchRepository.Result[items.size()];
    Promise<List<BatchRepository.Result>> done = Promise.promise();
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int[] next = {0};
    int[] pending = {items.size()};
    boolean[] failed = {false};
    Runnable[] start = new Runnable[1];
    start[0] =
        () -> {
          if (failed[0] || next[0] >= items.size()) {
            return;
          }
          int i = next[0]++;
          one(chunk, items.get(i))
              .onComplete(
                  ar -> {
                    if (ar.failed()) {
                      if (!failed[0]) {
                        failed[0] = true;
                        done.fail(ar.cause());
                      }
                      return;
                    }
                    results[i] = ar.result();
                    if (--pending[0] == 0) {
                      done.complete(new ArrayList<>(Arrays.asList(results)));
                    } else {
                      start[0].run();
                    }
                  });
        };
    for (int k = 0; k < Math.min(window, items.size()); k++) {
      start[0].run();
    }
    return done.future();
  }

  private Future<BatchRepository.Result> one(BatchRepository.Chunk chunk, BatchItem item) {
    if (item.error() != null) {
      return Future.succeededFuture(
          new BatchRepository.Result(item.line(), item.reference(), false, item.error()));
    }
    CompanyKey key =
        item.country() == null ? null : new CompanyKey(item.country(), item.nationalId());
    Future<String> answer;
    if (chunk.mode().equals("decision")) {
      answer =
          decisions
              .decide(
                  new ScoringRequest(key, item.lei(), item.amount(), item.paymentTerm()),
                  chunk.tenantId(),
                  "batch-" + chunk.batchId() + "-" + item.line())
              .map(Object::toString);
    } else {
      Future<CompanyKey> resolved =
          key != null
              ? Future.succeededFuture(key)
              : companies
                  .keyByLei(item.lei())
                  .compose(
                      k ->
                          k != null
                              ? Future.succeededFuture(k)
                              : Future.failedFuture(
                                  new UnknownCompanyException(new CompanyKey("LEI", item.lei()))));
      answer = resolved.compose(decisions::score).map(JsonObject::encode);
    }
    return answer
        .map(json -> new BatchRepository.Result(item.line(), item.reference(), true, json))
        .recover(
            e ->
                e instanceof UnknownCompanyException
                    ? Future.succeededFuture(
                        new BatchRepository.Result(
                            item.line(),
                            item.reference(),
                            false,
                            new JsonObject()
                                .put("type", "/problems/not-found")
                                .put("status", 404)
                                .put("detail", e.getMessage())
                                .encode()))
                    : Future.failedFuture(e));
  }
}
