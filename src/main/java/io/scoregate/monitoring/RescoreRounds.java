package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.EventRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-scores every watched company (a member of any portfolio) once per period, and all of them
 * after a new champion model. A round is cut into chunks due evenly over its period; each instance
 * ticks, claims due chunks through Postgres and re-scores their companies a few at a time (so live
 * decisions keep the pool and the model), and a chunk left by a stopped instance is taken again
 * when its lease runs out: a round resumes after a restart.
 */
public final class RescoreRounds {

  private static final Logger LOG = LoggerFactory.getLogger(RescoreRounds.class);

  private final RoundRepository rounds;
  private final Pool pool;
  private final Rescorer rescorer;
  private final io.scoregate.scoring.AssessmentService assessments;
  private final MonitoringConfig.RoundConfig config;
  private final String instance;
  private final Clock clock;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Future<Integer> ticking = Future.succeededFuture(0);

  public RescoreRounds(
      Pool pool,
      Rescorer rescorer,
      io.scoregate.scoring.AssessmentService assessments,
      MonitoringConfig.RoundConfig config,
      String instance,
      Clock clock) {
    this.rounds = new RoundRepository(pool);
    this.pool = pool;
    this.rescorer = rescorer;
    this.assessments = assessments;
    this.config = config;
    this.instance = instance;
    this.clock = clock;
  }

  /**
   * Ticks every {@code tickMs}; a tick still running makes the next one wait. Returns the timer id,
   * or -1 when this instance takes no part in rounds.
   */
  public long start(Vertx vertx) {
    if (!config.enabled()) {
      return -1;
    }
    return vertx.setPeriodic(
        config.tickMs(),
        id -> tick().onFailure(e -> LOG.warn("re-scoring round tick failed: {}", e.getMessage())));
  }

  /**
   * Creates this period's round if no instance has, then re-scores every due chunk it can claim;
   * completes with the number of companies re-scored (0 when another tick is running).
   */
  public Future<Integer> tick() {
    if (!busy.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    ticking = tickOnce();
    return ticking;
  }

  /** Completes when the tick running now (if any) has ended, e.g. before a stop closes the pool. */
  public Future<?> pending() {
    return ticking.otherwiseEmpty();
  }

  private Future<Integer> tickOnce() {
    Duration period = Duration.ofMillis((long) (config.periodHours() * 3_600_000));
    Instant now = clock.instant();
    Instant start =
        Instant.ofEpochMilli(now.toEpochMilli() / period.toMillis() * period.toMillis());
    return rounds
        .create(ScoreChange.SCHEDULED, start, start.plus(period), null, now, config.chunkSize())
        .onSuccess(
            n -> {
              if (n >= 0) {
                LOG.info("scheduled re-scoring round of {} watched companies from {}", n, start);
              }
            })
        .compose(n -> drain(0))
        .onComplete(ar -> busy.set(false));
  }

  /** A new champion: every watched company is re-scored now, with cause model_change. */
  public Future<Integer> modelChanged(String version) {
    Instant now = clock.instant();
    return rounds
        .create(ScoreChange.MODEL_CHANGE, now, now, version, now, config.chunkSize())
        .onSuccess(
            n -> {
              if (n >= 0) {
                LOG.info("model {} is champion: re-scoring {} watched companies", version, n);
              }
            });
  }

  private Future<Integer> drain(int rescored) {
    Instant now = clock.instant();
    return rounds
        .claim(instance, now, now.plusSeconds(config.leaseSeconds()))
        .compose(
            chunk ->
                chunk == null
                    ? Future.succeededFuture(rescored)
                    : run(chunk).compose(n -> drain(rescored + n)));
  }

  private Future<Integer> run(RoundRepository.Chunk chunk) {
    return rounds
        .companies(chunk)
        .compose(
            companies -> {
              List<List<RoundRepository.Watched>> groups = new ArrayList<>();
              int size = config.companiesPerTransaction();
              for (int i = 0; i < companies.size(); i += size) {
                groups.add(companies.subList(i, Math.min(companies.size(), i + size)));
              }
              return FactService.each(groups, config.concurrency(), g -> rescore(g, chunk.cause()))
                  .compose(
                      results -> {
                        int changed = 0;
                        int failed = 0;
                        for (Future<Counts> r : results) {
                          changed += r.result().changed();
                          failed += r.result().failed();
                        }
                        if (failed > 0) {
                          LOG.warn(
                              "round {} chunk {}: {} of {} companies not re-scored",
                              chunk.roundId(),
                              chunk.seq(),
                              failed,
                              companies.size());
                        }
                        return rounds
                            .done(
                                chunk,
                                instance,
                                clock.instant(),
                                companies.size() - failed,
                                changed)
                            .map(companies.size() - failed);
                      });
            });
  }

  /** Companies of a group whose score changed, and those that could not be re-scored. */
  private record Counts(int changed, int failed) {}

  /**
   * Re-scores a group of companies in one transaction; when it fails, each company alone, so that
   * one company that cannot be re-scored fails alone. Never fails.
   */
  private Future<Counts> rescore(List<RoundRepository.Watched> group, String cause) {
    return rescoreTogether(group, cause)
        .map(changed -> new Counts(changed, 0))
        .recover(
            e -> {
              if (group.size() == 1) {
                return Future.succeededFuture(new Counts(0, 1));
              }
              Future<Counts> alone = Future.succeededFuture(new Counts(0, 0));
              for (RoundRepository.Watched company : group) {
                alone =
                    alone.compose(
                        sum ->
                            rescoreTogether(List.of(company), cause)
                                .map(n -> new Counts(sum.changed() + n, sum.failed()))
                                .otherwise(new Counts(sum.changed(), sum.failed() + 1)));
              }
              return alone;
            });
  }

  private Future<Integer> rescoreTogether(List<RoundRepository.Watched> group, String cause) {
    List<CompanyKey> keys = new ArrayList<>(group.size());
    group.forEach(c -> keys.add(c.key()));
    return pool.withTransaction(
            tx ->
                new EventRepository(tx)
                    .lockCompanies(keys)
                    .compose(
                        ids -> {
                          List<Rescorer.Target> targets = new ArrayList<>(group.size());
                          for (RoundRepository.Watched c : group) {
                            Long id = ids.get(c.key());
                            if (id != null) {
                              targets.add(new Rescorer.Target(id, c.key(), cause, null, null));
                            }
                          }
                          return rescorer.rescore(tx, targets);
                        }))
        .map(
            changes -> {
              changes.forEach(
                  c -> assessments.invalidate(new CompanyKey(c.country(), c.nationalId())));
              return changes.size();
            });
  }
}
