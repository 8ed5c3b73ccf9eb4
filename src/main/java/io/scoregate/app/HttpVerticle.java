package io.scoregate.app;

import io.scoregate.audit.DecisionRoutes;
import io.scoregate.audit.JournalRepository;
import io.scoregate.audit.JournalWriter;
import io.scoregate.batch.BatchRoutes;
import io.scoregate.batch.BatchService;
import io.scoregate.company.CompanyRepository;
import io.scoregate.edge.AdminRoutes;
import io.scoregate.edge.ApiKeyService;
import io.scoregate.edge.IdempotencyService;
import io.scoregate.edge.JwtAuthenticator;
import io.scoregate.edge.QuotaHandler;
import io.scoregate.edge.RateLimiter;
import io.scoregate.edge.TenantRepository;
import io.scoregate.edge.Tenants;
import io.scoregate.http.ApiRouter;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.OpenApiRoutes;
import io.scoregate.http.ProblemHandler;
import io.scoregate.http.RequestGate;
import io.scoregate.http.RouteTable;
import io.scoregate.http.SlowClients;
import io.scoregate.http.TlsConfig;
import io.scoregate.monitoring.EventRoutes;
import io.scoregate.monitoring.FactService;
import io.scoregate.monitoring.HistoryRoutes;
import io.scoregate.monitoring.MonitoringConfig;
import io.scoregate.monitoring.MonitoringRoutes;
import io.scoregate.policy.PolicyRoutes;
import io.scoregate.policy.PolicyService;
import io.scoregate.policy.PolicySimulation;
import io.scoregate.reporting.DashboardRoutes;
import io.scoregate.reporting.ReportingRoutes;
import io.scoregate.reporting.ReportingService;
import io.scoregate.rollout.ModelAdminRoutes;
import io.scoregate.rollout.RolloutService;
import io.scoregate.scoring.AssessmentService;
import io.scoregate.scoring.DecisionInputs;
import io.scoregate.scoring.DecisionService;
import io.scoregate.scoring.ScoringRoutes;
import io.scoregate.webhook.WebhookRoutes;
import io.scoregate.webhook.WebhookService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves the HTTP API on one event loop. The verticles of a gateway share the score cache, the
 * Postgres client and the gateway's journal writer (one hash chain per gateway).
 */
final class HttpVerticle extends VerticleBase {

  /** What every HTTP verticle of a gateway shares. */
  record Shared(
      AppConfig config,
      Clock clock,
      SqlClient sql,
      CompanyRepository companies,
      AssessmentService assessments,
      DecisionInputs decisionInputs,
      PolicyService policies,
      PolicySimulation simulation,
      JournalRepository journal,
      TenantRepository tenants,
      ApiKeyService keys,
      JwtAuthenticator tokens,
      RateLimiter limiter,
      HealthRoutes health,
      RolloutService rollout,
      JournalWriter writer,
      MonitoringRoutes portfolios,
      WebhookService webhooks,
      FactService facts,
      ReportingService reporting,
      AtomicReference<Set<String>> routeTable,
      BatchService batches,
      ContractBodies contract) {}

  private final Shared shared;
  private HttpServer server;

  HttpVerticle(Shared shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    AppConfig config = shared.config();
    DecisionService decisions =
        new DecisionService(
            shared.assessments(),
            shared.companies(),
            shared.decisionInputs(),
            shared.policies(),
            shared.writer(),
            // A decision whose request has timed out (counted from its arrival) is not worth
            // writing any more.
            config.http().requestTimeoutMs(),
            shared.clock());
    ScoringRoutes scoring =
        new ScoringRoutes(
            decisions,
            new IdempotencyService(
                shared.sql(), shared.clock(), Duration.ofHours(config.idempotency().ttlHours())),
            config.policy());
    DecisionRoutes journal = new DecisionRoutes(shared.journal());
    Tenants admins =
        new Tenants(shared.keys(), shared.tokens(), shared.limiter(), shared.clock(), "admin");
    MonitoringConfig monitoring = config.monitoring();
    ApiRouter.Builder routes =
        ApiRouter.builder(vertx, config.http())
            .operations(shared.health()::mount)
            .operations(new DashboardRoutes()::mount)
            .operations(new OpenApiRoutes()::mount)
            .adminGuards(admins)
            .api(scoring::mount)
            .api(journal::mount)
            .streamed(
                r ->
                    r.path().startsWith(ApiRouter.API + "/portfolios/")
                        && r.path().endsWith("/members/upload"))
            .api(shared.portfolios()::mount)
            .api(new WebhookRoutes(shared.webhooks(), shared.contract())::mount)
            .bulk(EventRoutes.PATH, monitoring.maxEventsBodyBytes(), monitoring.eventsTimeoutMs())
            .api(new EventRoutes(shared.facts(), monitoring)::mount)
            .api(new HistoryRoutes(shared.sql(), monitoring)::mount)
            .api(new ReportingRoutes(shared.reporting(), config.policy().version())::mount)
            .api(
                new BatchRoutes(
                        shared.batches(),
                        config.edge().enabled(),
                        shared.clock(),
                        shared.contract())
                    ::mount)
            .streamed(BatchRoutes::streamed)
            .admin(
                new AdminRoutes(
                        shared.tenants(),
                        shared.keys(),
                        config.edge().jwt().trustedIssuers(),
                        shared.contract())
                    ::mount)
            .admin(new ModelAdminRoutes(shared.rollout())::mount)
            .admin(
                new PolicyRoutes(shared.policies(), shared.simulation(), shared.contract())::mount);
    if (config.edge().enabled()) {
      routes.apiGuards(
          new Tenants(shared.keys(), shared.tokens(), shared.limiter(), shared.clock(), "scoring"),
          new QuotaHandler(shared.limiter(), shared.clock()));
    } else {
      routes.apiGuards(Tenants.anonymous());
    }
    Router router = routes.build();
    shared.routeTable().compareAndSet(null, RouteTable.of(router));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.http().host())
            .setPort(config.http().port())
            .setIdleTimeout(Math.toIntExact(config.http().idleTimeoutMs()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // HTTP/1.1 only: with h2c on, a connection is not an HTTP connection (and its
            // slow-client clock does not start) until its first bytes show which protocol it is.
            .setHttp2ClearTextEnabled(false);
    TlsConfig tls = config.http().tls();
    if (tls.enabled()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
    }
    SlowClients slow = new SlowClients(vertx, config.http().requestHeaderTimeoutMs());
    return vertx
        .createHttpServer(options)
        .connectionHandler(slow::opened)
        .requestHandler(slow.requests(RequestGate.hostRequired(router)))
        .invalidRequestHandler(ProblemHandler::invalidRequest)
        .listen()
        .onSuccess(s -> server = s);
  }

  /**
   * Graceful: the server stops accepting at once, calls in flight have {@code http.shutdownGraceMs}
   * to finish (then their connections are closed), and the decisions they appended are committed
   * before this verticle is gone.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server
        .shutdown(shared.config().http().shutdownDrainMs(), TimeUnit.MILLISECONDS)
        .compose(v -> shared.writer().drained());
  }
}
