package io.scoregate.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoregate.company.CompanyEvent;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.EventRepository;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.problem.ProblemException;
import io.scoregate.scoring.AssessmentService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes facts in. Facts wait in one queue per instance and are applied in transactions of up to
 * {@code monitoring.factsPerTransaction} facts, {@code monitoring.ingestConcurrency} transactions
 * at a time: a lone fact starts at once, and under load the facts that queued meanwhile share the
 * next transaction, so that its statements (lock the companies, store the facts and their effects,
 * tell the fact listeners, re-score, tell the score listeners) each serve many facts. A transaction
 * holds at most one fact per company, and a company's facts apply in the order they came (an
 * opening before its closing). A replay of a stored {@code (source, external_ref)} changes nothing
 * and says so. When Postgres refuses a statement of a transaction, its facts are tried again in
 * halves until the one that cannot be applied fails alone; when Postgres cannot be reached, the
 * transaction's facts fail together at once. Once committed, this instance's cached scores of the
 * companies are dropped at once; the others hear it from Postgres.
 */
public final class FactService {

  private static final Logger LOG = LoggerFactory.getLogger(FactService.class);

  /** What became of one fact: {@code change} is null when the score stayed the same. */
  public record Outcome(long eventId, boolean duplicate, ScoreChange change) {}

  private record Pending(CompanyEvent event, Promise<Outcome> result) {}

  /** What one fact of a transaction came to: its outcome, or why it was refused. */
  private record Result(Outcome outcome, RuntimeException refused) {}

  private final Pool pool;
  private final Rescorer rescorer;
  private final AssessmentService assessments;
  private final List<FactListener> listeners;
  private final int perTransaction;
  private final int concurrency;
  private final int maxQueued;

  private final DistributionSummary perTransactionSummary;
  private final Counter refused;

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<CompanyKey> inFlight = new HashSet<>();
  private int running;

  public FactService(
      Pool pool,
      Rescorer rescorer,
      AssessmentService assessments,
      List<FactListener> listeners,
      MonitoringConfig config,
      MeterRegistry registry) {
    this.pool = pool;
    this.rescorer = rescorer;
    this.assessments = assessments;
    this.listeners = List.copyOf(listeners);
    this.perTransaction = config.factsPerTransaction();
    this.concurrency = config.ingestConcurrency();
    this.maxQueued = config.maxQueuedFacts();
    this.perTransactionSummary =
        DistributionSummary.builder("scoregate.facts.transaction")
            .description("Facts applied together in one transaction")
            .baseUnit("facts")
            .register(registry);
    this.refused =
        Counter.builder("scoregate.facts.refused")
            .description("Facts refused because too many were waiting")
            .register(registry);
    Gauge.builder("scoregate.facts.queued", this, FactService::queued)
        .description("Facts waiting for a transaction")
        .register(registry);
  }

  private synchronized double queued() {
    return queue.size();
  }

  /**
   * Fails with {@link UnknownCompanyException} when the company is not on file, and with a 503
   * problem when {@code monitoring.maxQueuedFacts} facts are already waiting.
   */
  public Future<Outcome> ingest(CompanyEvent event) {
    return ingestAll(List.of(event)).get(0);
  }

  /**
   * Each fact's outcome, in the order given, as {@link #ingest} would: the facts of one call queue
   * together before any transaction starts, so that they share transactions rather than the first
   * few starting alone while the rest queue behind them.
   */
  public List<Future<Outcome>> ingestAll(List<CompanyEvent> events) {
    List<Future<Outcome>> results = new ArrayList<>(events.size());
    synchronized (this) {
      for (CompanyEvent event : events) {
        if (queue.size() >= maxQueued) {
          refused.increment();
          results.add(
              Future.failedFuture(
                  new ProblemException(
                      503,
                      "service-unavailable",
                      "Too many facts waiting",
                      "This instance has "
                          + maxQueued
                          + " facts waiting; send this one again later.")));
          continue;
        }
        Promise<Outcome> result = Promise.promise();
        queue.add(new Pending(event, result));
        results.add(result.future());
      }
    }
    drain();
    return results;
  }

  /** Starts transactions while some are free and facts wait whose companies are not in one. */
  private void drain() {
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        if (running >= concurrency || queue.isEmpty()) {
          return;
        }
        batch = take();
        if (batch.isEmpty()) {
          return;
        }
        running++;
      }
      apply(batch)
          .onComplete(
              done -> {
                synchronized (this) {
                  running--;
                  batch.forEach(p -> inFlight.remove(p.event().key()));
                }
                drain();
              });
    }
  }

  /**
   * The next transaction's facts, in queue order: a fact whose company is in a running transaction
   * (or already in this one) waits, and so do the later facts of that company.
   */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>(Math.min(perTransaction, queue.size()));
    Set<CompanyKey> held = new HashSet<>();
    Iterator<Pending> it = queue.iterator();
    while (it.hasNext() && batch.size() < perTransaction) {
      Pending p = it.next();
      CompanyKey key = p.event().key();
      if (inFlight.contains(key) || held.contains(key)) {
        held.add(key);
        continue;
      }
      it.remove();
      inFlight.add(key);
      held.add(key);
      batch.add(p);
    }
    return batch;
  }

  /** Completes every fact of the batch; a failed transaction of several facts is split. */
  private Future<Void> apply(List<Pending> batch) {
    List<CompanyEvent> events = new ArrayList<>(batch.size());
    batch.forEach(p -> events.add(p.event()));
    return pool.withTransaction(tx -> apply(tx, events))
        .onSuccess(done -> perTransactionSummary.record(batch.size()))
        .transform(
            ar -> {
              if (ar.succeeded()) {
                List<Result> results = ar.result();
                for (int i = 0; i < batch.size(); i++) {
                  Result r = results.get(i);
                  if (r.refused() != null) {
                    batch.get(i).result().fail(r.refused());
                    continue;
                  }
                  if (!r.outcome().duplicate()) {
                    assessments.invalidate(events.get(i).key());
                  }
                  batch.get(i).result().complete(r.outcome());
                }
                return Future.succeededFuture();
              }
              if (batch.size() > 1 && ar.cause() instanceof PgException) {
                // Postgres refused a statement: find the fact it was about by halves, so that
                // one such fact among n costs about 2 log2(n) transactions, not n, and the
                // others still share theirs. Both halves keep the batch's companies held.
                int half = batch.size() / 2;
                return apply(batch.subList(0, half))
                    .compose(v -> apply(batch.subList(half, batch.size())));
              }
              CompanyEvent first = events.get(0);
              LOG.warn(
                  "{} fact(s) not applied, the first {} of {} about {}: {}",
                  batch.size(),
                  first.externalRef(),
                  first.source(),
                  first.key(),
                  ar.cause().getMessage());
              batch.forEach(p -> p.result().fail(ar.cause()));
              return Future.succeededFuture();
            });
  }

  private Future<List<Result>> apply(SqlConnection tx, List<CompanyEvent> events) {
    EventRepository repository = new EventRepository(tx);
    List<CompanyKey> keys = new ArrayList<>(events.size());
    events.forEach(e -> keys.add(e.key()));
    return repository
        .lockCompanies(keys)
        .compose(
            ids -> {
              List<CompanyEvent> known = new ArrayList<>(events.size());
              List<Long> companyIds = new ArrayList<>(events.size());
              for (CompanyEvent e : events) {
                Long id = ids.get(e.key());
                if (id != null) {
                  known.add(e);
                  companyIds.add(id);
                }
              }
              if (known.isEmpty()) {
                return Future.succeededFuture(results(events, known, List.of(), List.of()));
              }
              return repository
                  .storeAll(companyIds, known)
                  .compose(
                      stored -> {
                        List<Fact> facts = new ArrayList<>();
                        List<Rescorer.Target> targets = new ArrayList<>();
                        Set<CompanyKey> touched = new LinkedHashSet<>();
                        for (int i = 0; i < known.size(); i++) {
                          EventRepository.Stored s = stored.get(i);
                          if (s.duplicate()) {
                            continue;
                          }
                          CompanyEvent e = known.get(i);
                          facts.add(
                              new Fact(
                                  s.eventId(),
                                  companyIds.get(i),
                                  e.kind(),
                                  e.details() == null ? new JsonObject() : e.details(),
                                  s.recordedAt()));
                          targets.add(
                              new Rescorer.Target(
                                  companyIds.get(i),
                                  e.key(),
                                  ScoreChange.EVENT,
                                  s.eventId(),
                                  e.kind()));
                          touched.add(e.key());
                        }
                        if (facts.isEmpty()) {
                          return Future.succeededFuture(results(events, known, stored, List.of()));
                        }
                        return tellFacts(tx, facts, 0)
                            // the cached assessment shows the company's events: drop it even
                            // when the score stays the same
                            .compose(v -> rescorer.invalidateEverywhere(tx, touched))
                            .compose(v -> rescorer.rescore(tx, targets))
                            .map(changes -> results(events, known, stored, changes));
                      });
            });
  }

  /** Each fact's result in the order of {@code events}: unknown companies are refused. */
  private static List<Result> results(
      List<CompanyEvent> events,
      List<CompanyEvent> known,
      List<EventRepository.Stored> stored,
      List<ScoreChange> changes) {
    Map<Long, ScoreChange> byEvent = new HashMap<>();
    changes.forEach(c -> byEvent.put(c.causeEventId(), c));
    List<Result> out = new ArrayList<>(events.size());
    int k = 0;
    for (CompanyEvent e : events) {
      if (k < known.size() && known.get(k) == e) {
        EventRepository.Stored s = stored.get(k++);
        ScoreChange change = s.duplicate() ? null : byEvent.get(s.eventId());
        out.add(new Result(new Outcome(s.eventId(), s.duplicate(), change), null));
      } else {
        out.add(new Result(null, new UnknownCompanyException(e.key())));
      }
    }
    return out;
  }

  private Future<Void> tellFacts(SqlConnection tx, List<Fact> facts, int index) {
    if (index == listeners.size()) {
      return Future.succeededFuture();
    }
    return listeners.get(index).onFacts(tx, facts).compose(v -> tellFacts(tx, facts, index + 1));
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
