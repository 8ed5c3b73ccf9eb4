package io.scoregate.scoring;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoregate.audit.AssessmentRepository;
import io.scoregate.audit.JournalWriter;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyRepository;
import io.scoregate.company.CompanySnapshot;
import io.scoregate.company.Ratios;
import io.scoregate.company.StoredScore;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.model.ModelClient;
import io.scoregate.model.ModelOutput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the current score of each company: a bounded Caffeine cache in front of Postgres and the
 * model. Concurrent misses on one company share one load; unknown identifiers are remembered as
 * unknown for a short while so they cannot hammer Postgres. What the data and the model make of a
 * company, overrides included, is {@link AssessmentRules}'s, so a cached score already carries
 * them. Every assessment made is recorded (once, by the hash of its canonical bytes) before it is
 * cached or served: the decisions on it reference it, and a cached score is never recorded again.
 *
 * <p>A miss for a call whose answer is already due is shed: past its deadline before the company
 * read or before the model, it stops there. Its answer has gone (the request timeout gave it), and
 * under overload the work of late calls is what keeps the calls behind them late.
 */
public final class AssessmentService {

  private static final Cached UNKNOWN = new Cached(null);

  private static final Logger LOG = LoggerFactory.getLogger(AssessmentService.class);

  private final CompanyRepository companies;
  private final ScoreRepository scores;
  private final AssessmentRepository recorded;
  private final ModelClient model;
  private final ShadowScores shadows;
  private final AssessmentRules rules;
  private final DecisionPolicy masterScale;
  private final PolicyConfig policy;
  private final Clock clock;
  private final AsyncLoadingCache<CompanyKey, Cached> cache;
  private final Counter shedBeforeRead;
  private final Counter shedBeforeModel;

  /** A cache entry: an assessment, or null for a company that is not on file. */
  private record Cached(EncodedAssessment encoded) {}

  public AssessmentService(
      CompanyRepository companies,
      ScoreRepository scores,
      AssessmentRepository recorded,
      ModelClient model,
      PolicyConfig policy,
      CacheConfig cacheConfig,
      Clock clock,
      Ticker ticker,
      MeterRegistry registry,
      ShadowScores shadows) {
    this.companies = companies;
    this.shadows = shadows;
    this.scores = scores;
    this.recorded = recorded;
    this.model = model;
    this.policy = policy;
    this.rules = new AssessmentRules(policy, new ReasonTexts());
    this.masterScale = new DecisionPolicy(policy);
    this.clock = clock;
    long ttl = TimeUnit.SECONDS.toNanos(cacheConfig.ttlSeconds());
    long negativeTtl = TimeUnit.SECONDS.toNanos(cacheConfig.negativeTtlSeconds());
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(cacheConfig.maxSize())
            .expireAfter(
                new Expiry<CompanyKey, Cached>() {
                  @Override
                  public long expireAfterCreate(CompanyKey key, Cached value, long now) {
                    return value.encoded() == null ? negativeTtl : ttl;
                  }

                  @Override
                  public long expireAfterUpdate(
                      CompanyKey key, Cached value, long now, long currentDuration) {
                    return expireAfterCreate(key, value, now);
                  }

                  @Override
                  public long expireAfterRead(
                      CompanyKey key, Cached value, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .ticker(ticker)
            // Loads complete on Vert.x threads; callbacks run there without another hop.
            .executor(Runnable::run)
            .recordStats()
            .buildAsync((key, executor) -> load(key));
    if (registry != null) {
      CaffeineCacheMetrics.monitor(registry, cache, "scores");
    }
    this.shedBeforeRead = shedCounter(registry, "read");
    this.shedBeforeModel = shedCounter(registry, "model");
  }

  private static Counter shedCounter(MeterRegistry registry, String stage) {
    Counter.Builder builder =
        Counter.builder("scoregate.assessments.shed")
            .description("Misses dropped past their call's deadline, by the stage they skipped")
            .tag("stage", stage);
    return registry == null
        ? builder.register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
        : builder.register(registry);
  }

  /** The company's current assessment; fails with {@link UnknownCompanyException}. */
  public Future<Assessment> assess(CompanyKey key) {
    return assessEncoded(key).map(EncodedAssessment::assessment);
  }

  /** The same, with the JSON of its parts, encoded once per cached assessment. */
  Future<EncodedAssessment> assessEncoded(CompanyKey key) {
    return assessEncoded(key, JournalWriter.NO_DEADLINE);
  }

  /**
   * As {@link #assessEncoded(CompanyKey)} for a call whose answer is due by {@code deadline} (a
   * {@link System#nanoTime()}, or {@link JournalWriter#NO_DEADLINE}). A cached assessment is served
   * whatever the time. A miss past it before the company read, or after the read and before the
   * model, stops there and fails with {@link LateCallException}; nothing is cached, so the next
   * call loads again. Calls that join a miss in flight share its fate: they came after the call
   * that started it, so theirs are later deadlines, and at worst they are shed a little early.
   */
  Future<EncodedAssessment> assessEncoded(CompanyKey key, long deadline) {
    CompletableFuture<Cached> pending = cache.get(key, (k, executor) -> load(k, deadline));
    if (pending.isDone() && !pending.isCompletedExceptionally()) {
      return found(key, pending.join());
    }
    return Future.fromCompletionStage(pending, Vertx.currentContext())
        .compose(cached -> found(key, cached));
  }

  private static Future<EncodedAssessment> found(CompanyKey key, Cached cached) {
    return cached.encoded() == null
        ? Future.failedFuture(new UnknownCompanyException(key))
        : Future.succeededFuture(cached.encoded());
  }

  /** Drops the cached score, e.g. after new facts arrived for the company. */
  public void invalidate(CompanyKey key) {
    cache.synchronous().invalidate(key);
  }

  /** Drops every cached score, e.g. when another model becomes the champion. */
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  private CompletableFuture<Cached> load(CompanyKey key) {
    return load(key, JournalWriter.NO_DEADLINE);
  }

  private CompletableFuture<Cached> load(CompanyKey key, long deadline) {
    if (late(deadline)) {
      shedBeforeRead.increment();
      return CompletableFuture.failedFuture(new LateCallException());
    }
    return fresh(key, deadline).toCompletionStage().toCompletableFuture();
  }

  private static boolean late(long deadline) {
    return deadline != JournalWriter.NO_DEADLINE && System.nanoTime() - deadline > 0;
  }

  /**
   * The assessments of the companies with these ids from what Postgres holds now, read in one query
   * through {@code client} (e.g. the transaction that has just stored facts about them), past the
   * cache and without storing them; ids of no company are absent. The companies that need the model
   * go to it as one set ({@link ModelClient#scoreAll}, a message per {@code model.maxBatch}); if
   * any message fails, so does the whole set.
   */
  public Future<Map<Long, Assessment>> evaluateAll(SqlClient client, Long[] companyIds) {
    return new CompanyRepository(client)
        .snapshots(companyIds, incidentsSince())
        .compose(this::evaluateAll);
  }

  private Future<Map<Long, Assessment>> evaluateAll(Map<Long, CompanySnapshot> snapshots) {
    // Microseconds, what Postgres keeps, as for one company.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Map<Long, Assessment> out = new HashMap<>();
    List<Long> ids = new ArrayList<>();
    List<double[]> features = new ArrayList<>();
    snapshots.forEach(
        (id, snapshot) -> {
          if (AssessmentRules.needsModel(snapshot)) {
            ids.add(id);
            features.add(Ratios.compute(snapshot.statements()));
          } else {
            out.put(id, rules.assess(snapshot, null, null, now));
          }
        });
    return model
        .scoreAll(features)
        .recover(AssessmentService::modelUnavailable)
        .map(
            outputs -> {
              for (int i = 0; i < ids.size(); i++) {
                CompanySnapshot snapshot = snapshots.get(ids.get(i));
                ModelOutput output = outputs.get(i);
                if (output.shadowPd() != null) {
                  shadows.record(now, snapshot.key(), output);
                }
                out.put(ids.get(i), rules.assess(snapshot, features.get(i), output, now));
              }
              return out;
            });
  }

  private LocalDate incidentsSince() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return today.minusMonths(policy.incidentLookbackMonths());
  }

  private Future<Cached> fresh(CompanyKey key, long deadline) {
    return companies
        .snapshot(key, incidentsSince())
        .recover(
            e ->
                Future.failedFuture(
                    new DependencyUnavailableException(
                        "Company data is unavailable; retry later.", e)))
        .compose(
            snapshot -> {
              if (snapshot == null) {
                return Future.succeededFuture(UNKNOWN);
              }
              if (late(deadline)) {
                shedBeforeModel.increment();
                return Future.failedFuture(new LateCallException());
              }
              return score(snapshot).compose(this::record);
            });
  }

  /**
   * Committed before any decision can reference it (and durable with that decision's commit); a
   * no-op when it was recorded before.
   */
  private Future<Cached> record(Cached cached) {
    return recorded
        .record(cached.encoded().record(), clock.instant())
        .recover(
            e -> {
              LOG.warn(
                  "assessment of {} not recorded: {}",
                  cached.encoded().assessment().key(),
                  e.getMessage());
              return Future.failedFuture(
                  new DependencyUnavailableException(
                      "The journal is unavailable; retry later.", e));
            })
        .map(cached);
  }

  private Future<Cached> score(CompanySnapshot snapshot) {
    return evaluate(snapshot)
        .map(
            a ->
                new Cached(
                    new EncodedAssessment(remember(snapshot, a), masterScale.decide(a, 0, 0))));
  }

  private Future<Assessment> evaluate(CompanySnapshot snapshot) {
    // Microseconds, what Postgres keeps: the answer's scored_at reads back as it was given.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (!AssessmentRules.needsModel(snapshot)) {
      return Future.succeededFuture(rules.assess(snapshot, null, null, now));
    }
    double[] features = Ratios.compute(snapshot.statements());
    return model
        .score(features)
        .recover(AssessmentService::modelUnavailable)
        .map(
            output -> {
              if (output.shadowPd() != null) {
                shadows.record(now, snapshot.key(), output);
              }
              return rules.assess(snapshot, features, output, now);
            });
  }

  private static <T> Future<T> modelUnavailable(Throwable e) {
    return Future.failedFuture(
        new DependencyUnavailableException(
            "The scoring model did not answer in time; retry later.", e));
  }

  /**
   * Records the company's current score in Postgres without holding up the answer: the score is
   * derived data, recomputed on the next miss if this write is lost. A score equal to the one on
   * file is not sent: the upsert would leave the row as it is, but only after locking it, and that
   * lock is a WAL record, a dirtied page (a full-page image after each checkpoint) and a commit
   * that waits for its flush, on a pipelined connection that the next miss's reads then wait
   * behind.
   */
  private Assessment remember(CompanySnapshot snapshot, Assessment assessment) {
    if (assessment.score() != null && !unchanged(snapshot.stored(), assessment)) {
      scores
          .save(snapshot.id(), assessment)
          .onFailure(
              e -> LOG.warn("current score of {} not stored: {}", snapshot.key(), e.getMessage()));
    }
    return assessment;
  }

  /** The fields whose change the upsert writes (its WHERE clause), all equal to those on file. */
  static boolean unchanged(StoredScore stored, Assessment a) {
    return stored != null
        && Objects.equals(stored.score(), a.score())
        && Objects.equals(stored.pd(), a.pd())
        && Objects.equals(stored.riskLevel(), a.riskLevel())
        && Objects.equals(stored.modelVersion(), a.modelVersion())
        && Objects.equals(stored.dataAsOf(), a.dataAsOf())
        && Objects.equals(stored.grade(), ScoreRepository.grade(a.pd()));
  }
}
