package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Assembles the router. The pipeline of an API call reads top to bottom: request id, access log,
 * timeout, body limit, the edge (authentication and tenant, then rate limit and quota), then the
 * route's handler, which validates its input; one failure handler renders every problem.
 */
public final class ApiRouter {

  private ApiRouter() {}

  public static Router create(
      Vertx vertx,
      long bodyLimitBytes,
      long requestTimeoutMs,
      boolean accessLog,
      List<Handler<RoutingContext>> edge,
      Handler<RoutingContext> adminEdge,
      List<Consumer<Router>> operations,
      List<Consumer<Router>> api,
      List<Consumer<Router>> admin) {
    return create(
        vertx,
        bodyLimitBytes,
        requestTimeoutMs,
        accessLog,
        edge,
        adminEdge,
        operations,
        api,
        admin,
        request -> false);
  }

  /**
   * The same, where the requests {@code streamed} selects (uploads) skip the body handler and the
   * request timeout: their handler reads the body as a stream, with limits of its own. They are
   * paused until then, so that nothing is lost while the edge runs.
   */
  public static Router create(
      Vertx vertx,
      long bodyLimitBytes,
      long requestTimeoutMs,
      boolean accessLog,
      List<Handler<RoutingContext>> edge,
      Handler<RoutingContext> adminEdge,
      List<Consumer<Router>> operations,
      List<Consumer<Router>> api,
      List<Consumer<Router>> admin,
      Predicate<HttpServerRequest> streamed) {
    Router router = Router.router(vertx);
    ProblemHandler problems = new ProblemHandler();
    router.route().handler(new RequestIdHandler());
    if (accessLog) {
      router.route().handler(new AccessLogHandler());
    }
    operations.forEach(mount -> mount.accept(router));

    Handler<RoutingContext> timeout = TimeoutHandler.create(requestTimeoutMs, 503);
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(bodyLimitBytes);
    Route apiRoute =
        router
            .route("/api/*")
            .handler(ctx -> skipIfStreamed(ctx, timeout, streamed))
            .handler(ctx -> skipIfStreamed(ctx, body, streamed));
    edge.forEach(apiRoute::handler);
    api.forEach(mount -> mount.accept(router));
    router
        .route("/admin/*")
        .handler(TimeoutHandler.create(requestTimeoutMs, 503))
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
        .handler(adminEdge);
    admin.forEach(mount -> mount.accept(router));

    router.route().failureHandler(problems);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 503}) {
      router.errorHandler(status, problems);
    }
    return router;
  }

  private static void skipIfStreamed(
      RoutingContext ctx, Handler<RoutingContext> handler, Predicate<HttpServerRequest> streamed) {
    if (streamed.test(ctx.request())) {
      ctx.request().pause();
      ctx.next();
    } else {
      handler.handle(ctx);
    }
  }
}
