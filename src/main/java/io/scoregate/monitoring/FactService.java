package io.scoregate.monitoring;

import io.scoregate.company.CompanyEvent;
import io.scoregate.company.EventRepository;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.scoring.AssessmentService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Takes facts in: each one, in a transaction of its own, locks its company, is stored (a replay of
 * a stored {@code (source, external_ref)} changes nothing and says so), applies its effects, tells
 * the fact listeners and re-scores the company. Once committed, this instance's cached score of the
 * company is dropped at once; the others hear it from Postgres.
 */
public final class FactService {

  /** What became of one fact: {@code change} is null when the score stayed the same. */
  public record Outcome(long eventId, boolean duplicate, ScoreChange change) {}

  private final Pool pool;
  private final Rescorer rescorer;
  private final AssessmentService assessments;
  private final List<FactListener> listeners;

  public FactService(
      Pool pool, Rescorer rescorer, AssessmentService assessments, List<FactListener> listeners) {
    this.pool = pool;
    this.rescorer = rescorer;
    this.assessments = assessments;
    this.listeners = List.copyOf(listeners);
  }

  /** Fails with {@link UnknownCompanyException} when the company is not on file. */
  public Future<Outcome> ingest(CompanyEvent event) {
    return pool.withTransaction(tx -> ingest(tx, event))
        .onSuccess(
            outcome -> {
              if (!outcome.duplicate()) {
                assessments.invalidate(event.key());
              }
            });
  }

  private Future<Outcome> ingest(SqlConnection tx, CompanyEvent event) {
    EventRepository events = new EventRepository(tx);
    return events
        .lockCompany(event.key())
        .compose(
            companyId -> {
              if (companyId == null) {
                return Future.failedFuture(new UnknownCompanyException(event.key()));
              }
              return events
                  .store(companyId, event)
                  .compose(
                      stored -> {
                        if (stored.duplicate()) {
                          return Future.succeededFuture(new Outcome(stored.eventId(), true, null));
                        }
                        Fact fact =
                            new Fact(
                                stored.eventId(),
                                companyId,
                                event.kind(),
                                event.details() == null ? new JsonObject() : event.details(),
                                stored.recordedAt());
                        return tellFact(tx, fact, 0)
                            // the cached assessment shows the company's events: drop it even
                            // when the score stays the same
                            .compose(v -> rescorer.invalidateEverywhere(tx, event.key()))
                            .compose(
                                v ->
                                    rescorer.rescore(
                                        tx,
                                        companyId,
                                        event.key(),
                                        ScoreChange.EVENT,
                                        stored.eventId(),
                                        event.kind()))
                            .map(change -> new Outcome(stored.eventId(), false, change));
                      });
            });
  }

  private Future<Void> tellFact(SqlConnection tx, Fact fact, int index) {
    if (index == listeners.size()) {
      return Future.succeededFuture();
    }
    return listeners.get(index).onFact(tx, fact).compose(v -> tellFact(tx, fact, index + 1));
  }

  /**
   * Applies {@code task} to every item, at most {@code concurrency} at a time, and completes with
   * each item's result (or failure) in the items' order; one failed item never stops the others.
   */
  public static <T, R> Future<List<Future<R>>> each(
      List<T> items, int concurrency, Function<T, Future<R>> task) {
    List<Future<R>> results = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      results.add(null);
    }
    Promise<List<Future<R>>> done = Promise.promise();
    if (items.isEmpty()) {
      done.complete(results);
      return done.future();
    }
    // Items complete on whichever thread their connection answers on.
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] start = new Runnable[1];
    start[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= items.size()) {
            return;
          }
          Future<R> f;
          try {
            f = task.apply(items.get(i));
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          results.set(i, f);
          f.onComplete(
              ar -> {
                if (finished.incrementAndGet() == items.size()) {
                  done.complete(results);
                } else {
                  start[0].run();
                }
              });
        };
    for (int k = 0; k < Math.min(concurrency, items.size()); k++) {
      start[0].run();
    }
    return done.future();
  }
}
