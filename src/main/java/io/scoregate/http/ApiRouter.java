package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Assembles the router. The pipeline of a call reads top to bottom in {@link Builder#build()}:
 * request id, access log, the refusal of requests HTTP calls malformed ({@link RequestGate}), then
 * for {@code /api/v1} and {@code /admin/v1} a sub-router each with timeout, body limit and that
 * part's guards (authentication and scope, then rate limit and quota) mounted first, then the
 * routes, which validate their input; one failure handler renders every problem. A route is mounted
 * on a sub-router, so it cannot skip that sub-router's guards.
 *
 * <pre>{@code
 * Router router =
 *     ApiRouter.builder(vertx, config.http())
 *         .operations(health::mount)          // at the root, no guards: /health, /metrics
 *         .apiGuards(authenticate, quota)     // every /api/v1 call, in this order
 *         .api(scoring::mount)                // paths relative to /api/v1: router.post("/scoring")
 *         .adminGuards(authenticateAdmin)
 *         .admin(tenants::mount)              // paths relative to /admin/v1
 *         .build();
 * }</pre>
 */
public final class ApiRouter {

  public static final String API = "/api/v1";
  public static final String ADMIN = "/admin/v1";

  private ApiRouter() {}

  public static Builder builder(Vertx vertx, HttpConfig http) {
    return new Builder(vertx, http);
  }

  /** What goes on the router, collected in any order and assembled in the pipeline's order. */
  public static final class Builder {
    private final Vertx vertx;
    private final HttpConfig http;
    private final List<Consumer<Router>> operations = new ArrayList<>();
    private final List<Handler<RoutingContext>> apiGuards = new ArrayList<>();
    private final List<Consumer<Router>> api = new ArrayList<>();
    private final List<Handler<RoutingContext>> adminGuards = new ArrayList<>();
    private final List<Consumer<Router>> admin = new ArrayList<>();
    private Predicate<HttpServerRequest> streamed = request -> false;
    private final Map<String, long[]> bulk = new LinkedHashMap<>();

    private Builder(Vertx vertx, HttpConfig http) {
      this.vertx = vertx;
      this.http = http;
    }

    /** Routes at the root, outside the API and its guards: health checks, metrics. */
    public Builder operations(Consumer<Router> mount) {
      operations.add(mount);
      return this;
    }

    /** Handlers every {@code /api/v1} call passes, in this order, before its route. */
    @SafeVarargs
    public final Builder apiGuards(Handler<RoutingContext>... guards) {
      apiGuards.addAll(List.of(guards));
      return this;
    }

    /** Routes of the API; the router given is {@code /api/v1}'s, paths are relative to it. */
    public Builder api(Consumer<Router> mount) {
      api.add(mount);
      return this;
    }

    /**
     * An API route that takes a bulk body (thousands of NDJSON items): its own body limit and
     * timeout instead of http's. Its body is read before the guards, within its limit.
     *
     * @param path relative to {@code /api/v1}
     */
    public Builder bulk(String path, long bodyLimitBytes, long timeoutMs) {
      bulk.put(path, new long[] {bodyLimitBytes, timeoutMs});
      return this;
    }

    /** Handlers every {@code /admin/v1} call passes, in this order, before its route. */
    @SafeVarargs
    public final Builder adminGuards(Handler<RoutingContext>... guards) {
      adminGuards.addAll(List.of(guards));
      return this;
    }

    /** Routes of the admin API; the router given is {@code /admin/v1}'s, paths relative to it. */
    public Builder admin(Consumer<Router> mount) {
      admin.add(mount);
      return this;
    }

    /**
     * API requests that read their body themselves, as a stream, with limits and a timeout of their
     * own (batch uploads, downloads): they skip the body handler and the request timeout, and stay
     * paused while the guards run, so that nothing they send is lost.
     */
    public Builder streamed(Predicate<HttpServerRequest> requests) {
      streamed = streamed.or(requests);
      return this;
    }

    public Router build() {
      Router router = Router.router(vertx);
      router.route().handler(new RequestIdHandler());
      if (http.accessLog()) {
        router.route().handler(new AccessLogHandler());
      }
      router.route().handler(new RequestGate());
      operations.forEach(mount -> mount.accept(router));
      router.route(API + "/*").subRouter(guarded(apiGuards, api, API, bulk));
      router.route(ADMIN + "/*").subRouter(guarded(adminGuards, admin, ADMIN, Map.of()));

      ProblemHandler problems = new ProblemHandler(router, http.retryAfterSeconds());
      router.route().failureHandler(problems);
      for (int status : new int[] {400, 401, 403, 404, 405, 408, 413, 415, 417, 500, 503}) {
        router.errorHandler(status, problems);
      }
      return router;
    }

    private Router guarded(
        List<Handler<RoutingContext>> guards,
        List<Consumer<Router>> mounts,
        String mountPoint,
        Map<String, long[]> bulk) {
      Router sub = Router.router(vertx);
      Set<String> bulkPaths = new HashSet<>();
      bulk.forEach(
          (path, limits) -> {
            bulkPaths.add(mountPoint + path);
            sub.route(path)
                .handler(new RequestTimeout(limits[1]))
                .handler(BodyHandler.create(false).setBodyLimit(limits[0]));
          });
      Handler<RoutingContext> timeout = new RequestTimeout(http.requestTimeoutMs());
      Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes());
      Predicate<HttpServerRequest> skip = streamed;
      Route pipeline =
          sub.route()
              .handler(
                  // A bulk route has its own timeout; its body is read already (a second body
                  // handler lets it through). A platform handler: allowed before the body's.
                  (PlatformHandler)
                      ctx -> {
                        if (bulkPaths.contains(ctx.normalizedPath())) {
                          ctx.next();
                        } else {
                          skipIfStreamed(ctx, timeout, skip);
                        }
                      })
              .handler(ctx -> skipIfStreamed(ctx, body, skip));
      guards.forEach(pipeline::handler);
      mounts.forEach(mount -> mount.accept(sub));
      for (Route route : sub.getRoutes()) {
        if (route.getPath() != null && route.getPath().startsWith(mountPoint + "/")) {
          // A route at /api/v1/api/v1/... is a mistake that would only show as a 404.
          throw new IllegalStateException(
              "route " + route.getPath() + ": paths are relative to " + mountPoint);
        }
      }
      return sub;
    }
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
