package io.scoregate.scoring;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyRepository;
import io.scoregate.company.CompanySnapshot;
import io.scoregate.company.EventSummary;
import io.scoregate.company.Ratios;
import io.scoregate.company.StatementLines;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.model.ModelClient;
import io.scoregate.model.ModelOutput;
import io.scoregate.model.Reason;
import io.scoregate.rollout.ShadowRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the current score of each company: a bounded Caffeine cache in front of Postgres and the
 * model. Concurrent misses on one company share one load; unknown identifiers are remembered as
 * unknown for a short while so they cannot hammer Postgres. Overrides for facts the model does not
 * see (insolvency proceedings, payment incidents, a ceased company) are applied here, each with its
 * own reason, so a cached score already carries them.
 */
public final class AssessmentService {

  private static final Cached UNKNOWN = new Cached((EncodedAssessment) null);

  private static final Logger LOG = LoggerFactory.getLogger(AssessmentService.class);

  private final CompanyRepository companies;
  private final ScoreRepository scores;
  private final ModelClient model;
  private final ShadowRecorder shadows;
  private final MasterScale scale;
  private final PolicyConfig policy;
  private final Clock clock;
  private final AsyncLoadingCache<CompanyKey, Cached> cache;

  /** A cache entry: an assessment, or null for a company that is not on file. */
  private record Cached(EncodedAssessment encoded) {
    Cached(Assessment assessment) {
      this(assessment == null ? null : new EncodedAssessment(assessment));
    }
  }

  public AssessmentService(
      CompanyRepository companies,
      ScoreRepository scores,
      ModelClient model,
      PolicyConfig policy,
      CacheConfig cacheConfig,
      Clock clock,
      Ticker ticker,
      MeterRegistry registry,
      ShadowRecorder shadows) {
    this.companies = companies;
    this.shadows = shadows;
    this.scores = scores;
    this.model = model;
    this.policy = policy;
    this.scale = new MasterScale(policy);
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
  }

  /** The company's current assessment; fails with {@link UnknownCompanyException}. */
  public Future<Assessment> assess(CompanyKey key) {
    return assessEncoded(key).map(EncodedAssessment::assessment);
  }

  /** The same, with the JSON of its parts, encoded once per cached assessment. */
  Future<EncodedAssessment> assessEncoded(CompanyKey key) {
    CompletableFuture<Cached> pending = cache.get(key);
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

  public long cachedCount() {
    return cache.synchronous().estimatedSize();
  }

  private CompletableFuture<Cached> load(CompanyKey key) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate incidentsSince = today.minusMonths(policy.incidentLookbackMonths());
    return companies
        .snapshot(key, incidentsSince)
        .recover(
            e ->
                Future.failedFuture(
                    new DependencyUnavailableException(
                        "Company data is unavailable; retry later.", e)))
        .compose(snapshot -> snapshot == null ? Future.succeededFuture(UNKNOWN) : score(snapshot))
        .toCompletionStage()
        .toCompletableFuture();
  }

  private Future<Cached> score(CompanySnapshot snapshot) {
    Instant now = clock.instant();
    if (!snapshot.hasStatements() || snapshot.ceased() || snapshot.events().inLiquidation()) {
      return Future.succeededFuture(new Cached(remember(snapshot, withoutModel(snapshot, now))));
    }
    double[] features = Ratios.compute(snapshot.statements());
    return model
        .score(features)
        .recover(
            e ->
                Future.failedFuture(
                    new DependencyUnavailableException(
                        "The scoring model did not answer in time; retry later.", e)))
        .map(
            output -> {
              if (output.shadowPd() != null) {
                shadows.record(
                    new ShadowRecorder.Row(
                        now,
                        snapshot.key().country(),
                        snapshot.key().nationalId(),
                        output.modelVersion(),
                        output.prediction().pd(),
                        output.shadowVersion(),
                        output.shadowPd()));
              }
              return new Cached(remember(snapshot, withModel(snapshot, features, output, now)));
            });
  }

  /**
   * Records the company's current score in Postgres without holding up the answer: the score is
   * derived data, recomputed on the next miss if this write is lost.
   */
  private Assessment remember(CompanySnapshot snapshot, Assessment assessment) {
    if (assessment.score() != null) {
      scores
          .save(snapshot.id(), assessment)
          .onFailure(
              e -> LOG.warn("current score of {} not stored: {}", snapshot.key(), e.getMessage()));
    }
    return assessment;
  }

  private Assessment withoutModel(CompanySnapshot snapshot, Instant now) {
    EventSummary events = snapshot.events();
    StatementLines latest = snapshot.hasStatements() ? snapshot.statements().get(0) : null;
    double monthlySales = latest == null ? Double.NaN : latest.sales() / 12;
    double equity = latest == null ? Double.NaN : latest.equity();
    int worst = scale.levelCount() - 1;
    if (events.inLiquidation()) {
      return new Assessment(
          snapshot.key(),
          snapshot.name(),
          0,
          1.0,
          scale.level(worst).name(),
          List.of(proceedingReason(events)),
          new double[0],
          "override",
          snapshot.dataAsOf(),
          now,
          true,
          monthlySales,
          equity,
          events);
    }
    if (snapshot.ceased()) {
      return new Assessment(
          snapshot.key(),
          snapshot.name(),
          0,
          1.0,
          scale.level(worst).name(),
          List.of(
              ScoreReason.rule(
                  "COMPANY_CEASED",
                  "The company has ceased trading.",
                  "L'entreprise a cessé son activité.")),
          new double[0],
          "override",
          snapshot.dataAsOf(),
          now,
          true,
          monthlySales,
          equity,
          events);
    }
    List<ScoreReason> reasons = new ArrayList<>(3);
    reasons.add(
        ScoreReason.rule(
            "INSUFFICIENT_DATA",
            "No financial statements on file: the company cannot be scored automatically.",
            "Aucun bilan disponible : l'entreprise ne peut pas être notée automatiquement."));
    if (events.hasOpenProceeding()) {
      reasons.add(0, proceedingReason(events));
    }
    if (events.recentIncidents() > 0) {
      reasons.add(incidentReason(events));
    }
    return new Assessment(
        snapshot.key(),
        snapshot.name(),
        null,
        null,
        null,
        List.copyOf(reasons),
        new double[0],
        "none",
        snapshot.dataAsOf(),
        now,
        events.hasOpenProceeding(),
        monthlySales,
        equity,
        events);
  }

  private Assessment withModel(
      CompanySnapshot snapshot, double[] features, ModelOutput output, Instant now) {
    EventSummary events = snapshot.events();
    double pd = output.prediction().pd();
    int score = scale.score(pd);
    int level = scale.levelIndex(score);
    List<ScoreReason> reasons = new ArrayList<>(output.reasons().size() + 2);
    boolean refuse = false;
    if (events.hasOpenProceeding()) {
      // An open proceeding is a default in all but name: worst band, refused by the policy.
      level = scale.levelCount() - 1;
      score = Math.min(score, scale.maxScoreOf(level));
      reasons.add(proceedingReason(events));
      refuse = true;
    } else if (events.recentIncidents() > 0 && policy.incidentNotches() > 0) {
      level = Math.min(scale.levelCount() - 1, level + policy.incidentNotches());
      score = Math.min(score, scale.maxScoreOf(level));
      reasons.add(incidentReason(events));
    }
    for (Reason r : output.reasons()) {
      reasons.add(
          new ScoreReason(
              r.code(), r.feature(), finite(r.value()), r.contribution(), r.textEn(), r.textFr()));
    }
    StatementLines latest = snapshot.statements().get(0);
    return new Assessment(
        snapshot.key(),
        snapshot.name(),
        score,
        pd,
        scale.level(level).name(),
        List.copyOf(reasons),
        features,
        output.modelVersion(),
        snapshot.dataAsOf(),
        now,
        refuse,
        latest.sales() / 12,
        latest.equity(),
        events);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static ScoreReason proceedingReason(EventSummary events) {
    String kind = events.openProceedingKind();
    String since = events.proceedingSince() == null ? "" : " since " + events.proceedingSince();
    String depuis =
        events.proceedingSince() == null ? "" : " depuis le " + events.proceedingSince();
    String fr =
        switch (kind) {
          case "liquidation_judiciaire" -> "liquidation judiciaire";
          case "redressement_judiciaire" -> "redressement judiciaire";
          default -> "procédure de sauvegarde";
        };
    String en =
        switch (kind) {
          case "liquidation_judiciaire" -> "judicial liquidation";
          case "redressement_judiciaire" -> "judicial reorganisation (redressement judiciaire)";
          default -> "safeguard proceeding (sauvegarde)";
        };
    return ScoreReason.rule(
        "INSOLVENCY_" + kind.toUpperCase(Locale.ROOT),
        "Open insolvency proceeding: " + en + since + ".",
        "Procédure collective en cours : " + fr + depuis + ".");
  }

  private ScoreReason incidentReason(EventSummary events) {
    int n = events.recentIncidents();
    return new ScoreReason(
        "PAYMENT_INCIDENTS_" + policy.incidentLookbackMonths() + "M",
        null,
        (double) n,
        null,
        n
            + " payment incident"
            + (n > 1 ? "s" : "")
            + " in the last "
            + policy.incidentLookbackMonths()
            + " months (up to "
            + events.maxDaysLate()
            + " days late): risk level lowered by "
            + policy.incidentNotches()
            + ".",
        n
            + " incident"
            + (n > 1 ? "s" : "")
            + " de paiement sur les "
            + policy.incidentLookbackMonths()
            + " derniers mois (jusqu'à "
            + events.maxDaysLate()
            + " jours de retard) : niveau de risque abaissé de "
            + policy.incidentNotches()
            + ".");
  }
}
