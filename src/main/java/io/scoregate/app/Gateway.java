package io.scoregate.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scoregate.audit.AssessmentRepository;
import io.scoregate.audit.JournalRepository;
import io.scoregate.audit.JournalVerticle;
import io.scoregate.audit.JournalWriter;
import io.scoregate.batch.BatchConfig;
import io.scoregate.batch.BatchListener;
import io.scoregate.batch.BatchService;
import io.scoregate.batch.BatchVerticle;
import io.scoregate.company.CompanyRepository;
import io.scoregate.edge.ApiKeyService;
import io.scoregate.edge.ApiKeys;
import io.scoregate.edge.EdgeConfig;
import io.scoregate.edge.IdempotencyService;
import io.scoregate.edge.IssuerConfig;
import io.scoregate.edge.JwtAuthenticator;
import io.scoregate.edge.JwtConfig;
import io.scoregate.edge.RateLimiter;
import io.scoregate.edge.RedisConfig;
import io.scoregate.edge.TenantRepository;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.HttpConfig;
import io.scoregate.model.ModelClient;
import io.scoregate.model.ModelConfig;
import io.scoregate.model.ModelVerticle;
import io.scoregate.model.ScoringModel;
import io.scoregate.model.ServingModels;
import io.scoregate.monitoring.AlertEvaluator;
import io.scoregate.monitoring.AlertListener;
import io.scoregate.monitoring.FactListener;
import io.scoregate.monitoring.FactService;
import io.scoregate.monitoring.MonitoringConfig;
import io.scoregate.monitoring.MonitoringRoutes;
import io.scoregate.monitoring.PolicyCreditTerms;
import io.scoregate.monitoring.PortfolioService;
import io.scoregate.monitoring.RescoreRounds;
import io.scoregate.monitoring.Rescorer;
import io.scoregate.monitoring.ScoreChangeListener;
import io.scoregate.monitoring.ScoreInvalidation;
import io.scoregate.policy.ExposureRepository;
import io.scoregate.policy.PolicyCompiler;
import io.scoregate.policy.PolicyLimits;
import io.scoregate.policy.PolicyRepository;
import io.scoregate.policy.PolicyService;
import io.scoregate.policy.PolicySimulation;
import io.scoregate.policy.Recommendation;
import io.scoregate.policy.SimulationRepository;
import io.scoregate.reporting.ReportingService;
import io.scoregate.rollout.ModelRegistryRepository;
import io.scoregate.rollout.RolloutService;
import io.scoregate.rollout.ShadowRecorder;
import io.scoregate.scoring.AssessmentService;
import io.scoregate.scoring.DecisionDocument;
import io.scoregate.scoring.DecisionInputs;
import io.scoregate.scoring.DecisionPolicy;
import io.scoregate.scoring.DecisionService;
import io.scoregate.scoring.PlatformPolicy;
import io.scoregate.scoring.RiskLevelConfig;
import io.scoregate.scoring.ScoreRepository;
import io.scoregate.webhook.WebhookConfig;
import io.scoregate.webhook.WebhookDispatcherVerticle;
import io.scoregate.webhook.WebhookOutbox;
import io.scoregate.webhook.WebhookService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: Vert.x with metrics, the Postgres client, the model, the shared services,
 * and the verticles (the model verticle, then one HTTP verticle per event loop). Tests start it on
 * a free port with their own configuration and clock.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final AppConfig config;
  private final Clock clock;
  private final Ticker ticker;
  private Vertx vertx;
  private SqlClient sql;
  private Pool registryPool;
  private Pool portfolioPool;
  private AlertEvaluator alertEvaluator;
  private Pool monitoringPool;
  private RescoreRounds rounds;
  private FactService facts;
  private Pool reportingPool;
  private final AtomicReference<Set<String>> routeTable = new AtomicReference<>();
  private RolloutService rollout;
  private Pool policyPool;
  private PolicyService policies;
  private ShadowRecorder shadows;
  private String httpDeployment;
  private int port;
  private AssessmentService assessments;
  private Pool batchPool;
  private BatchService batches;
  private final List<BatchListener> batchListeners = new ArrayList<>();
  private WebhookOutbox webhookOutbox;

  /** The periodic work this gateway runs outside any verticle, cancelled first by a stop. */
  private final List<Long> timers = new CopyOnWriteArrayList<>();

  /** Runs of that work still in flight, which a stop lets finish before the pools close. */
  private final Set<Future<?>> running = ConcurrentHashMap.newKeySet();

  private volatile long shadowTimer = -1;

  public Gateway(AppConfig config, Clock clock, Ticker ticker) {
    this.config = config;
    this.clock = clock;
    this.ticker = ticker;
  }

  /** Told of every batch that finishes, in its transaction; add before {@link #start()}. */
  public Gateway addBatchListener(BatchListener listener) {
    batchListeners.add(listener);
    return this;
  }

  /**
   * Starts everything; fails fast if any part fails, and then the caller stops the gateway.
   * Migrations must already be applied.
   */
  public Future<Gateway> start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(
                // CLIENT_NAME and EB_SIDE: without them the TCP clients (Postgres, the Redis pool,
                // each loop's Redis connection) share one connections gauge, and the event bus's
                // local and remote messages another, of which only the first registered counts.
                // Redis clients are named; Postgres's connections show as client_name="".
                EnumSet.of(
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.HTTP_ROUTE,
                    Label.POOL_NAME,
                    Label.CLIENT_NAME,
                    Label.EB_SIDE));
    vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(metrics))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    PgConfig pg = config.pg();
    sql =
        PgBuilder.client()
            .with(
                new PoolOptions()
                    .setMaxSize(pg.maxPoolSize())
                    .setName("scoregate-pg")
                    .setConnectionTimeout(pg.connectTimeoutMs())
                    .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
            .with(new NetClientOptions().setConnectTimeout(pg.connectTimeoutMs()))
            .connectingTo(
                Postgres.connectOptions(pg)
                    .setProperties(
                        Map.of(
                            "statement_timeout",
                            Long.toString(pg.statementTimeoutMs()),
                            "application_name",
                            "scoregate"))
                    .setPipeliningLimit(pg.pipeliningLimit())
                    .setCachePreparedStatements(true))
            .using(vertx)
            .build();

    String artifact = readArtifact(config.model());
    ServingModels models = new ServingModels(parseArtifact(artifact));
    shadows =
        new ShadowRecorder(
            sql, config.model().shadowMaxPending(), config.model().shadowBatchRows(), registry);
    ModelClient modelClient =
        new ModelClient(vertx, config.model().requestTimeoutMs(), config.model().maxBatch());
    CompanyRepository companies = new CompanyRepository(sql);
    assessments =
        new AssessmentService(
            companies,
            new ScoreRepository(sql),
            new AssessmentRepository(sql),
            modelClient,
            config.policy(),
            config.cache(),
            clock,
            ticker,
            registry,
            (at, company, output) ->
                shadows.record(
                    new ShadowRecorder.Row(
                        at,
                        company.country(),
                        company.nationalId(),
                        output.modelVersion(),
                        output.prediction().pd(),
                        output.shadowVersion(),
                        output.shadowPd())));
    // Scores of the previous champion are not served after a promotion or a rollback.
    models.onChampionChange(lineup -> assessments.invalidateAll());
    registryPool = pool("scoregate-registry", 2);
    rollout = new RolloutService(vertx, new ModelRegistryRepository(registryPool), models, clock);
    // Reports and exports read through cursors, which need connections of their own. Their scans
    // of a large portfolio cost enough for Postgres to JIT-compile them, which took longer than
    // the scan itself (a million-member matrix: 0.93 s with JIT, 0.40 s without).
    reportingPool =
        pool("scoregate-reporting", config.reporting().streamPoolSize(), Map.of("jit", "off"));
    ReportingService reporting =
        new ReportingService(
            sql,
            reportingPool,
            config.reporting(),
            config.policy().levels().stream().map(RiskLevelConfig::name).toList(),
            clock);
    DecisionPolicy policy = new DecisionPolicy(config.policy());
    policyPool = pool("scoregate-policy", 2);
    PolicyCompiler compiler =
        new PolicyCompiler(config.policyRules(), policyLimits(config.policy()));
    policies =
        new PolicyService(
            vertx,
            new PolicyRepository(policyPool),
            new ExposureRepository(sql),
            compiler,
            compiler.compile(config.policy().version(), PlatformPolicy.rules(config.policy())),
            config.policyRules(),
            clock);
    DecisionInputs decisionInputs = new DecisionInputs(assessments, clock);
    PolicySimulation simulation =
        new PolicySimulation(
            vertx, new SimulationRepository(sql), decisionInputs, config.policyRules());
    JournalRepository journal =
        new JournalRepository(sql, new DecisionDocument(policies::ruleReason));
    TenantRepository tenants = new TenantRepository(sql);
    if (!config.edge().enabled()) {
      LOG.warn("edge.enabled is false: /api calls are neither authenticated nor limited");
    }
    if (EdgeConfig.DEVELOPMENT_PEPPER.equals(config.edge().apiKeyPepper())) {
      LOG.warn("edge.apiKeyPepper is the development default: set SCOREGATE_EDGE_API_KEY_PEPPER");
    }
    RedisConfig rc = config.redis();
    RedisOptions redisOptions =
        new RedisOptions()
            .setConnectionString("redis://" + rc.host() + ":" + rc.port())
            .setMaxPoolSize(rc.maxPoolSize())
            .setMaxPoolWaiting(rc.maxPoolWaiting())
            .setMaxWaitingHandlers(rc.maxPoolWaiting())
            .setNetClientOptions(
                new NetClientOptions()
                    .setConnectTimeout((int) rc.timeoutMs() * 10)
                    .setMetricsName("scoregate-redis"));
    Redis redis = Redis.createClient(vertx, redisOptions);
    RateLimiter limiter =
        new RateLimiter(
            redis,
            // Called on the event loop the connection is for: its metrics carry the loop's name.
            () -> {
              RedisOptions loop = new RedisOptions(redisOptions).setMaxPoolSize(1);
              loop.setNetClientOptions(
                  new NetClientOptions(redisOptions.getNetClientOptions())
                      .setMetricsName("scoregate-redis-" + Thread.currentThread().getName()));
              return Redis.createClient(vertx, loop);
            },
            new RateLimiter.Settings(rc.timeoutMs(), rc.fallbackShare(), rc.breakerOpenMs()),
            clock);
    registry.gauge("scoregate.ratelimit.degraded", limiter, l -> l.degraded() ? 1 : 0);
    JwtConfig jwt = config.edge().jwt();
    JwtAuthenticator tokens =
        new JwtAuthenticator(
            vertx,
            jwt.issuers().stream()
                .filter(IssuerConfig::enabled)
                .map(
                    i ->
                        new JwtAuthenticator.Issuer(
                            i.issuer(), i.audience(), i.jwksPath(), i.jwksUrl(), i.tenantClaim()))
                .toList(),
            jwt.algorithms(),
            jwt.leewaySeconds(),
            new JwtAuthenticator.JwksSettings(
                jwt.jwksRefreshMinSeconds(), jwt.jwksTimeoutMs(), jwt.jwksMaxBytes()),
            clock,
            ticker,
            config.edge().keyCacheSeconds(),
            tenants::tenantBoundTo);
    ApiKeyService keys =
        new ApiKeyService(
            tenants,
            new ApiKeys(config.edge().apiKeyPepper()),
            config.edge().keyCacheSeconds(),
            ticker);
    HealthRoutes health =
        new HealthRoutes(sql, models, limiter, registry, config.http().requestTimeoutMs());
    String instanceId = config.instance().resolvedId(config.http().port(), Gateway::hostName);
    JournalWriter writer =
        new JournalWriter(sql, instanceId, config.journal().maxBatchRows(), registry);

    // Batch work and uploads have a pool of their own: live calls keep all of pg.maxPoolSize.
    BatchConfig batchConfig = config.batch();
    batchPool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(batchConfig.poolSize()).setName("scoregate-batch"))
            .connectingTo(
                Postgres.connectOptions(pg)
                    .setProperties(
                        Map.of(
                            "statement_timeout",
                            Long.toString(pg.statementTimeoutMs() * 10),
                            "application_name",
                            "scoregate-batch"))
                    .setCachePreparedStatements(true))
            .using(vertx)
            .build();
    IdempotencyService batchIdempotency =
        new IdempotencyService(sql, clock, Duration.ofHours(config.idempotency().ttlHours()));
    batches =
        new BatchService(batchPool, batchConfig, config.policy(), limiter, batchIdempotency, clock);
    DecisionService batchDecisions =
        new DecisionService(assessments, companies, decisionInputs, policies, writer, 0, clock);
    // Webhooks: a pool of their own, so that slow claims never queue behind decisions.
    Pool webhookPool = pool("scoregate-webhook", config.webhook().pgPoolSize());
    if (WebhookConfig.DEVELOPMENT_KEY.equals(config.webhook().secretKey())) {
      LOG.warn("webhook.secretKey is the development default: set SCOREGATE_WEBHOOK_SECRET_KEY");
    }
    WebhookDispatcherVerticle dispatcher =
        new WebhookDispatcherVerticle(config.webhook(), webhookPool, clock, registry);
    WebhookService webhooks =
        new WebhookService(vertx, config.webhook(), webhookPool, clock, dispatcher::circuitState);
    webhookOutbox = new WebhookOutbox(clock);

    int instances =
        config.http().instances() > 0
            ? config.http().instances()
            : Math.max(1, Runtime.getRuntime().availableProcessors());
    portfolioPool = pool("scoregate-portfolios", config.portfolios().poolSize());
    java.util.List<String> levels =
        config.policy().levels().stream().map(io.scoregate.scoring.RiskLevelConfig::name).toList();
    PolicyCreditTerms creditTerms = new PolicyCreditTerms(policy);
    // Told of the alerts inserted, in their transaction: the webhook and e-mail outbox.
    java.util.List<AlertListener> alertListeners = java.util.List.of(webhookOutbox);
    alertEvaluator = new AlertEvaluator(creditTerms, levels, alertListeners);
    // Request bodies are checked against the served OpenAPI contract, loaded before the routes.
    ContractBodies contract = ContractBodies.served();
    MonitoringRoutes portfolioRoutes =
        new MonitoringRoutes(
            new PortfolioService(portfolioPool, clock, levels),
            creditTerms,
            alertEvaluator,
            portfolioPool,
            clock,
            config.portfolios(),
            contract);
    // Monitoring: facts re-score their companies in the transaction that stores them; listeners
    // of other units (alerts, webhooks) write in that transaction. Lists, empty by default.
    List<ScoreChangeListener> scoreListeners = new ArrayList<>();
    List<FactListener> factListeners = new ArrayList<>();
    // Alert rules are evaluated in the transaction of each score change and fact.
    scoreListeners.add(alertEvaluator);
    factListeners.add(alertEvaluator);
    // score.changed messages for watched companies, in the same transaction.
    scoreListeners.add(webhookOutbox);
    // batch.completed messages, in the transaction that completes the batch.
    batchListeners.add(webhookOutbox);
    MonitoringConfig monitoring = config.monitoring();
    monitoringPool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(monitoring.poolSize()).setName("scoregate-facts"))
            .connectingTo(
                Postgres.connectOptions(pg)
                    .setProperties(
                        Map.of(
                            "statement_timeout",
                            Long.toString(pg.statementTimeoutMs()),
                            "application_name",
                            "scoregate-facts")))
            .using(vertx)
            .build();
    Rescorer rescorer = new Rescorer(assessments, scoreListeners, clock, monitoring.channel());
    facts =
        new FactService(monitoringPool, rescorer, assessments, factListeners, monitoring, registry);
    ScoreInvalidation invalidation =
        new ScoreInvalidation(
            vertx, Postgres.connectOptions(pg), monitoring.channel(), assessments);
    rounds =
        new RescoreRounds(
            monitoringPool,
            rescorer,
            assessments,
            monitoring.rounds(),
            config.instance().resolvedId(config.http().port(), Gateway::hostName),
            clock);
    // Every instance sees the promotion; the round is created once (one per model version).
    models.onChampionChange(
        lineup ->
            rounds
                .modelChanged(lineup.champion().version())
                .onFailure(e -> LOG.warn("model change round not created: {}", e.getMessage())));
    HttpVerticle.Shared shared =
        new HttpVerticle.Shared(
            config,
            clock,
            sql,
            companies,
            assessments,
            decisionInputs,
            policies,
            simulation,
            journal,
            tenants,
            keys,
            tokens,
            limiter,
            health,
            rollout,
            writer,
            portfolioRoutes,
            webhooks,
            facts,
            reporting,
            routeTable,
            batches,
            contract);
    return limiter
        .start()
        .compose(ignored -> contract.start(vertx))
        .compose(ignored -> policies.start())
        .compose(ignored -> invalidation.start())
        .compose(
            ignored ->
                rollout.bootstrap(
                    artifact,
                    isBlank(config.model().path()) ? bundledReport(models.champion()) : null))
        .compose(
            ignored ->
                vertx.deployVerticle(
                    () -> new ModelVerticle(models, config.model().maxReasons(), registry),
                    new DeploymentOptions().setInstances(instances)))
        .compose(id -> vertx.deployVerticle(new JournalVerticle(writer)))
        .compose(
            id ->
                config.webhook().dispatcherEnabled()
                    ? vertx.deployVerticle(dispatcher)
                    : Future.succeededFuture(id))
        .compose(
            id ->
                vertx.deployVerticle(
                    new BatchVerticle(
                        batches, batchDecisions, companies, batchListeners, instanceId, clock),
                    new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(
            id ->
                vertx.deployVerticle(
                    () -> new HttpVerticle(shared),
                    new DeploymentOptions().setInstances(instances)))
        .map(
            id -> {
              httpDeployment = id;
              IdempotencyService idempotency =
                  new IdempotencyService(
                      sql, clock, Duration.ofHours(config.idempotency().ttlHours()));
              // Expired Idempotency-Key records go hourly; any instance may do it.
              timers.add(
                  vertx.setPeriodic(
                      Duration.ofHours(1).toMillis(),
                      timer ->
                          tracked(idempotency.purgeExpired())
                              .onFailure(
                                  e -> LOG.warn("idempotency purge failed: {}", e.getMessage()))));
              timers.add(rollout.start(config.model().registryPollMs()));
              // Every instance refreshes today's snapshots: one row per portfolio and day.
              timers.add(
                  vertx.setPeriodic(
                      Math.min(10_000, config.reporting().snapshotCheckMs()),
                      config.reporting().snapshotCheckMs(),
                      timer ->
                          tracked(reporting.takeSnapshots())
                              .onFailure(
                                  e ->
                                      LOG.warn("portfolio snapshots failed: {}", e.getMessage()))));
              // Every instance keeps the members' regulatory figures current (docs/reporting.md).
              timers.add(
                  vertx.setPeriodic(
                      Math.min(10_000, config.reporting().riskRefreshMs()),
                      config.reporting().riskRefreshMs(),
                      timer ->
                          tracked(reporting.refreshRiskFigures())
                              .onFailure(
                                  e ->
                                      LOG.warn(
                                          "portfolio risk figures refresh failed: {}",
                                          e.getMessage()))));
              shadowTimer = shadows.start(vertx, config.model().shadowFlushMs());
              timers.add(rounds.start(vertx));
              port = config.http().port();
              LOG.info(
                  "scoregate listening on port {} with model {} ({} HTTP verticles)",
                  port,
                  models.champion().version(),
                  instances);
              return this;
            });
  }

  public int port() {
    return port;
  }

  /** Every route the HTTP verticles serve ({@code GET /api/v1/scoring}...), once started. */
  public Set<String> routes() {
    return routeTable.get();
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Evaluates the alert rules on score changes and facts (a {@code ScoreChangeListener} and {@code
   * FactListener}), in the caller's transaction.
   */
  public AlertEvaluator alertEvaluator() {
    return alertEvaluator;
  }

  public RolloutService rollout() {
    return rollout;
  }

  /** The current assessment of each company: the score cache in front of Postgres and the model. */
  public AssessmentService assessments() {
    return assessments;
  }

  public PolicyService policies() {
    return policies;
  }

  /** The platform limits every tenant policy is held to (its guardrails). */
  static PolicyLimits policyLimits(io.scoregate.scoring.PolicyConfig policy) {
    return new PolicyLimits(
        policy.maxAmountCap(),
        policy.amountRounding(),
        policy.maxRequestPaymentTermDays(),
        Recommendation.fromWire(policy.overLimitRecommendation()));
  }

  public io.scoregate.batch.BatchService batches() {
    return batches;
  }

  /** Facts in: what the events API and the open-data imports store and re-score through. */
  public FactService facts() {
    return facts;
  }

  /** The scheduled and model-change re-scoring rounds of this instance. */
  public RescoreRounds rounds() {
    return rounds;
  }

  /** Writes webhook and e-mail messages in the transactions of the alerts that cause them. */
  public WebhookOutbox webhookOutbox() {
    return webhookOutbox;
  }

  /**
   * Graceful stop, bounded by {@code http.shutdownGraceMs}: the periodic work outside the verticles
   * (policy refresh, registry poll, snapshots, risk figures, rounds, idempotency purge) stops and
   * its runs in flight end before the pools close, the HTTP verticles stop accepting and let the
   * calls in flight finish and their decisions commit (for the grace less {@code
   * http.shutdownCloseMs}), the queued shadow scores are written, then the pools and Vert.x close
   * (for at most {@code http.shutdownCloseMs}: a connection whose query Postgres still holds would
   * otherwise keep the process alive). Whatever still runs after that is cut.
   */
  public Future<Void> stop() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    HttpConfig http = config.http();
    long begin = System.nanoTime();
    LOG.info(
        "stopping: no new connections, calls in flight have {} ms to finish",
        http.shutdownDrainMs());
    // First, so that a run in flight has the drain to finish in: a timer that fired while the
    // close below ran failed on its closed pool and warned "Pool closed".
    Future<Void> periodicDone = stopPeriodicWork();
    Future<Void> drained =
        httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment);
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    drained
        .timeout(http.shutdownDrainMs() + 250, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              LOG.warn("calls still in flight after the grace period were cut: {}", e.getMessage());
              return Future.succeededFuture();
            })
        .compose(
            v ->
                periodicDone
                    .timeout(http.shutdownCloseMs(), TimeUnit.MILLISECONDS)
                    .recover(
                        e -> {
                          LOG.warn("periodic work still running at the close: {}", e.getMessage());
                          return Future.succeededFuture();
                        }))
        // The shadow queue's timer writes while the calls in flight fill it; the last write is
        // this flush.
        .compose(
            v -> {
              vertx.cancelTimer(shadowTimer);
              return shadows == null ? Future.<Void>succeededFuture() : shadows.flush();
            })
        // The background verticles (webhook dispatcher, batch workers, journal) stop before the
        // pools close: a claim or chunk the stop cuts short is then a stop, not a failure.
        .compose(v -> undeployAll(http.shutdownCloseMs()))
        .onComplete(
            // Vert.x closes last, outside this chain: its event loops end with the close.
            ignored -> {
              vertx.close().onComplete(ar -> stopped.complete(null));
              CompletableFuture.delayedExecutor(http.shutdownCloseMs(), TimeUnit.MILLISECONDS)
                  .execute(
                      () -> {
                        if (stopped.complete(null)) {
                          LOG.warn(
                              "pools and connections not closed within {} ms: stopping anyway",
                              http.shutdownCloseMs());
                        }
                      });
            });
    return Future.fromCompletionStage(
        stopped.whenComplete(
            (v, e) ->
                LOG.info(
                    "stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin))));
  }

  /**
   * Cancels this gateway's periodic timers (not the verticles', which stop with them); completes
   * when the runs they started have ended.
   */
  private Future<Void> stopPeriodicWork() {
    for (long id : timers) {
      vertx.cancelTimer(id);
    }
    timers.clear();
    List<Future<?>> runs = new ArrayList<>(running);
    if (policies != null) {
      runs.add(policies.stop());
    }
    if (rollout != null) {
      runs.add(rollout.pending());
    }
    if (rounds != null) {
      runs.add(rounds.pending());
    }
    // Join: done when all are, failed or not (a failure was logged by its owner).
    return Future.join(runs).<Void>mapEmpty().otherwiseEmpty();
  }

  private <T> Future<T> tracked(Future<T> run) {
    running.add(run);
    run.onComplete(ar -> running.remove(run));
    return run;
  }

  /** Every verticle still deployed, stopped within {@code limitMs}; the close goes on after it. */
  private Future<Void> undeployAll(long limitMs) {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : vertx.deploymentIDs()) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed)
        .timeout(limitMs, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("verticles not all stopped before the pools close: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  /** The artifact this instance starts with: the configured file, else the one in the jar. */
  static String readArtifact(ModelConfig model) {
    try {
      if (model.path() != null && !model.path().isBlank()) {
        return Files.readString(Path.of(model.path()));
      }
      try (InputStream in =
          Gateway.class.getClassLoader().getResourceAsStream(ScoringModel.DEFAULT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "no model " + ScoringModel.DEFAULT_RESOURCE + " in the jar");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model artifact", e);
    }
  }

  /** This machine's name (the pod name on Kubernetes), once at start. */
  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The validation report shipped beside the jar's model, registered with it; else null. */
  static JsonObject bundledReport(ScoringModel model) {
    String resource = "models/validation-report-" + model.version() + ".json";
    try (InputStream in = Gateway.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null
          ? null
          : new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  static ScoringModel parseArtifact(String artifact) {
    try {
      return ScoringModel.load(new ByteArrayInputStream(artifact.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model artifact", e);
    }
  }

  /** A small pool of its own for one unit's work, on the configured database. */
  private Pool pool(String name, int size) {
    return pool(name, size, Map.of());
  }

  /** The same, with these session settings on each connection. */
  private Pool pool(String name, int size, Map<String, String> settings) {
    PgConnectOptions options = Postgres.connectOptions(config.pg());
    settings.forEach(options::addProperty);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name))
        .connectingTo(options)
        .using(vertx)
        .build();
  }
}
