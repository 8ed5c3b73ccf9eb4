package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.scoregate.http.ApiRouter;
import io.scoregate.http.HttpConfig;
import io.scoregate.http.RequestContext;
import io.scoregate.support.BareRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge handlers ({@link Tenants}, {@link QuotaHandler}) on a bare router: bearer tokens from a
 * local issuer, tenants from a map, and a rate limiter whose Redis is unreachable, so it applies
 * its local limits. No database, no Redis.
 */
class EdgeHandlersTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final HttpConfig HTTP = BareRouter.http(1024);

  private static final Map<String, Tenant> TENANTS =
      Map.of(
          "open", tenant("open", List.of(), Set.of("scoring")),
          "elsewhere", tenant("elsewhere", List.of(Cidr.parse("10.1.0.0/16")), Set.of("scoring")),
          "reader", tenant("reader", List.of(), Set.of("admin")));

  @TempDir Path dir;
  private LocalTokenIssuer issuer;
  private BareRouter server;

  private static Tenant tenant(String id, List<Cidr> allow, Set<String> scopes) {
    // 1 call/s with a burst of 2: the local half of it lets one call through, then refuses.
    return new Tenant(id, id, 1, 2, 1_000_000L, allow, scopes, false);
  }

  @BeforeEach
  void start() throws Exception {
    issuer = LocalTokenIssuer.open(dir);
    server = BareRouter.serve(this::router);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Router router(Vertx vertx) {
    JwtAuthenticator tokens =
        new JwtAuthenticator(
            vertx,
            List.of(
                new JwtAuthenticator.Issuer(
                    LocalTokenIssuer.ISSUER,
                    "scoregate",
                    issuer.jwksPath().toString(),
                    null,
                    null)),
            List.of("RS256"),
            0,
            60,
            CLOCK,
            Ticker.systemTicker(),
            5,
            id -> Future.succeededFuture(TENANTS.get(id)));
    // The key service is never asked for a stored key: these tests send tokens or nothing.
    ApiKeyService keys =
        new ApiKeyService(
            new TenantRepository(null),
            new ApiKeys(EdgeConfig.DEVELOPMENT_PEPPER),
            5,
            Ticker.systemTicker());
    Redis unreachable = Redis.createClient(vertx, "redis://127.0.0.1:1");
    RateLimiter limiter =
        new RateLimiter(
            unreachable, () -> unreachable, new RateLimiter.Settings(50, 0.5, 60_000), CLOCK);
    return ApiRouter.builder(vertx, HTTP)
        .apiGuards(
            new Tenants(keys, tokens, limiter, CLOCK, "scoring"), new QuotaHandler(limiter, CLOCK))
        .api(
            r ->
                r.get("/whoami")
                    .handler(
                        ctx -> {
                          RequestContext context = RequestContext.from(ctx);
                          ctx.end(context.tenantId() + " " + Tenants.caller(ctx).tenant().burst());
                        }))
        .build();
  }

  private HttpResponse<Buffer> call(String tenant, Set<String> scopes) throws Exception {
    String token = issuer.issue(tenant, scopes, "scoregate", Duration.ofMinutes(5), NOW);
    return server.testRequest(
        HttpMethod.GET, "/api/v1/whoami", Map.of("Authorization", "Bearer " + token), null);
  }

  @Test
  void noCredentialIs401WithBothChallenges() {
    HttpResponse<Buffer> response = server.testRequest(HttpMethod.GET, "/api/v1/whoami");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"scoregate\", ApiKey realm=\"scoregate\"");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unauthorized");
  }

  @Test
  void aBadTokenIs401InvalidToken() {
    HttpResponse<Buffer> response =
        server.testRequest(
            HttpMethod.GET, "/api/v1/whoami", Map.of("Authorization", "Bearer not.a.jwt"), null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(response.bodyAsString()).doesNotContain("not.a.jwt");
  }

  @Test
  void aValidTokenPutsTheCallerOnTheRequestContextAndCountsTheCall() throws Exception {
    HttpResponse<Buffer> response = call("open", Set.of("scoring"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("open 2");
    assertThat(response.getHeader("X-RateLimit-Limit")).isNotNull();
    assertThat(response.getHeader("RateLimit-Policy")).contains("\"burst\"", "\"monthly\"");
  }

  @Test
  void overTheLimitIs429WithRetryAfter() throws Exception {
    assertThat(call("open", Set.of("scoring")).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = call("open", Set.of("scoring"));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isPositive();
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/rate-limited");
    assertThat(problem.getString("detail")).contains("policy \"burst\"");
  }

  @Test
  void anAddressOutsideTheAllowListIs403WithQuotaHeaders() throws Exception {
    HttpResponse<Buffer> response = call("elsewhere", Set.of("scoring"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("type"))
        .isEqualTo("/problems/address-not-allowed");
    assertThat(response.getHeader("X-RateLimit-Remaining")).isNotNull();
  }

  @Test
  void aCredentialWithoutTheScopeIs403() throws Exception {
    HttpResponse<Buffer> response = call("reader", Set.of("admin"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("type"))
        .isEqualTo("/problems/insufficient-scope");
  }
}
