package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.problem.ProblemException;
import io.scoregate.support.BareRouter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The structure of the router: what each route passes through is decided by where it is mounted.
 */
class ApiRouterTest {

  private static final HttpConfig HTTP = BareRouter.http(1024);

  private BareRouter server;

  /** A guard that lets a call through only with the given header, as the edge would. */
  private static Handler<RoutingContext> requires(String header, String tenant) {
    return ctx -> {
      if (ctx.request().getHeader(header) == null) {
        ctx.fail(new ProblemException(401, "unauthorized", "Unauthorized", "No " + header));
        return;
      }
      RequestContext.from(ctx)
          .authenticated(
              new Principal() {
                @Override
                public String tenantId() {
                  return tenant;
                }

                @Override
                public String credentialId() {
                  return ctx.request().getHeader(header);
                }
              });
      ctx.next();
    };
  }

  /** Answers with what the request context holds. */
  private static void whoAmI(RoutingContext ctx) {
    RequestContext context = RequestContext.from(ctx);
    ctx.end(
        context.tenantId() + " " + context.principal().credentialId() + " " + context.requestId());
  }

  @BeforeEach
  void start() {
    server =
        BareRouter.serve(
            vertx ->
                ApiRouter.builder(vertx, HTTP)
                    .operations(r -> r.get("/health/live").handler(ctx -> ctx.end("UP")))
                    .api(r -> r.get("/whoami").handler(ApiRouterTest::whoAmI))
                    .apiGuards(requires("X-Api", "partner"))
                    .admin(r -> r.get("/whoami").handler(ApiRouterTest::whoAmI))
                    .adminGuards(requires("X-Admin", "operator"))
                    .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anApiRoutePassesTheApiGuardsWhateverTheOrderOfRegistration() {
    assertThat(server.testRequest(HttpMethod.GET, "/api/v1/whoami").statusCode()).isEqualTo(401);
    var answer =
        server.testRequest(
            HttpMethod.GET,
            "/api/v1/whoami",
            Map.of("X-Api", "key-1", "X-Request-Id", "req-7"),
            null);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsString()).isEqualTo("partner key-1 req-7");
  }

  @Test
  void anUnknownApiPathIsGuardedToo() {
    assertThat(server.testRequest(HttpMethod.GET, "/api/v1/not-mounted").statusCode())
        .isEqualTo(401);
  }

  @Test
  void theAdminApiHasItsOwnGuards() {
    assertThat(
            server
                .testRequest(HttpMethod.GET, "/admin/v1/whoami", Map.of("X-Api", "key-1"), null)
                .statusCode())
        .isEqualTo(401);
    var answer =
        server.testRequest(HttpMethod.GET, "/admin/v1/whoami", Map.of("X-Admin", "op-1"), null);
    assertThat(answer.bodyAsString()).startsWith("operator op-1 ");
  }

  @Test
  void operationsAreOutsideTheGuards() {
    assertThat(server.testRequest(HttpMethod.GET, "/health/live").bodyAsString()).isEqualTo("UP");
  }

  @Test
  void aRouteMountedWithTheMountPointInItsPathIsRefused() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThatThrownBy(
              () ->
                  ApiRouter.builder(vertx, HTTP)
                      .api((Router r) -> r.get("/api/v1/scoring").handler(RoutingContext::end))
                      .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("relative to /api/v1");
    } finally {
      vertx.close();
    }
  }
}
