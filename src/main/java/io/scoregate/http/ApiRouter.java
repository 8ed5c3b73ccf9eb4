package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.List;
import java.util.function.Consumer;

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
            .handler(ctx -> streamed(ctx, timeout))
            .handler(
                ctx -> {
                  if (streamsItsBody(ctx.request().path())) {
                    // Held until its route reads it, past the edge's asynchronous checks.
                    ctx.request().pause();
                    ctx.next();
                  } else {
                    body.handle(ctx);
                  }
                });
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

  /**
   * Whether a route reads its own body as a stream (a member upload of a million lines): not
   * buffered, and bounded by its own time limit rather than the request timeout.
   */
  public static boolean streamsItsBody(String path) {
    return path != null && path.endsWith("/upload");
  }

  private static void streamed(RoutingContext ctx, Handler<RoutingContext> otherwise) {
    if (streamsItsBody(ctx.request().path())) {
      ctx.next();
    } else {
      otherwise.handle(ctx);
    }
  }
}
