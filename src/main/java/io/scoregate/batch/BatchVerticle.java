package io.scoregate.batch;

import io.scoregate.company.CompanyRepository;
import io.scoregate.scoring.DecisionService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch work on this instance, deployed as a worker verticle so that building and encoding results
 * stays off the event loops that serve live calls: {@code batch.workers} loops, each claiming one
 * chunk at a time, with {@code batch.concurrency} lines in flight in all (live traffic keeps the
 * rest of the Postgres pool and the model). Also purges expired results.
 */
public final class BatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BatchVerticle.class);

  private final BatchRepository repository;
  private final BatchService service;
  private final DecisionService decisions;
  private final CompanyRepository companies;
  private final List<BatchListener> listeners;
  private final BatchConfig config;
  private final String owner;
  private final Clock clock;
  private final List<Long> timers = new ArrayList<>();
  private volatile boolean stopped;

  public BatchVerticle(
      BatchService service,
      DecisionService decisions,
      CompanyRepository companies,
      List<BatchListener> listeners,
      String owner,
      Clock clock) {
    this.service = service;
    this.repository = service.repository();
    this.decisions = decisions;
    this.companies = companies;
    this.listeners = listeners;
    this.config = service.config();
    this.owner = owner;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timers.add(
        vertx.setPeriodic(
            config.purgeIntervalMs(),
            id ->
                service
                    .purgeExpired()
                    .onFailure(e -> LOG.warn("batch purge failed: {}", e.getMessage()))));
    if (!config.workersEnabled()) {
      return Future.succeededFuture();
    }
    return repository
        .releaseAll(owner)
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("took back {} batch chunks this instance held before it stopped", n);
              }
              int window = Math.max(1, config.concurrency() / config.workers());
              for (int i = 0; i < config.workers(); i++) {
                loop(
                    new BatchWorker(
                        repository, decisions, companies, listeners, config, owner, window, clock));
              }
            });
  }

  private void loop(BatchWorker worker) {
    if (stopped) {
      return;
    }
    worker
        .next()
        .onComplete(
            ar -> {
              if (ar.failed() && !stopped) { // a chunk the stop cut short is leased again
                LOG.warn("batch worker: {}", ar.cause().getMessage());
              }
              if (ar.succeeded() && ar.result()) {
                loop(worker);
              } else if (!stopped) {
                vertx.setTimer(config.pollMs(), id -> loop(worker));
              }
            });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }
}
