package io.scoregate.edge;

import io.scoregate.http.RequestContext;
import io.scoregate.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The edge of the API: who is calling (an OAuth2 bearer token in {@code Authorization}, or an API
 * key in {@code X-API-Key}), from where (the tenant's IP allow-list) and with what right (a scope
 * per group of routes). Puts the {@link Caller} on the {@link RequestContext} for everything after
 * it; fails with 401 or 403 otherwise.
 */
public final class Tenants implements Handler<RoutingContext> {

  public static final String API_KEY_HEADER = "X-API-Key";

  private final ApiKeyService keys;
  private final JwtAuthenticator tokens;
  private final RateLimiter limiter;
  private final Clock clock;
  private final String scope;

  public Tenants(
      ApiKeyService keys, JwtAuthenticator tokens, RateLimiter limiter, Clock clock, String scope) {
    this.keys = keys;
    this.tokens = tokens;
    this.limiter = limiter;
    this.clock = clock;
    this.scope = scope;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    Future<Caller> authenticated;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      authenticated =
          tokens.enabled()
              ? tokens.authenticate(authorization.substring(7).trim())
              : Future.failedFuture(new InvalidTokenException("no trusted issuer configured"));
    } else {
      authenticated = keys.authenticate(ctx.request().getHeader(API_KEY_HEADER));
    }
    authenticated
        .onSuccess(
            caller -> {
              // Known from here on, also for the access log and for problems after this point.
              RequestContext.from(ctx).authenticated(caller);
              String ip =
                  ctx.request().remoteAddress() == null
                      ? null
                      : ctx.request().remoteAddress().hostAddress();
              if (!caller.tenant().allows(ip)) {
                forbid(
                    ctx,
                    caller,
                    new ProblemException(
                        403,
                        "address-not-allowed",
                        "Address not allowed",
                        "This tenant does not accept calls from this address."));
              } else if (!caller.scopes().contains(scope)) {
                forbid(
                    ctx,
                    caller,
                    new ProblemException(
                        403,
                        "insufficient-scope",
                        "Insufficient scope",
                        "This credential lacks the '" + scope + "' scope."));
              } else {
                ctx.next();
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * A refused call is not counted, but its answer still tells the tenant where it stands: the quota
   * headers from a look at the counters that changes nothing.
   */
  private void forbid(RoutingContext ctx, Caller caller, ProblemException problem) {
    limiter
        .peek(caller.tenant())
        .onSuccess(quota -> QuotaHandler.headers(ctx.response().headers(), quota, clock.millis()))
        .onComplete(ignored -> ctx.fail(problem));
  }

  /**
   * Lets every call through as tenant "anonymous", without authentication or quota: what the
   * gateway costs without its edge, for benchmarks only.
   */
  public static Handler<RoutingContext> anonymous() {
    Caller anonymous =
        new Caller(
            new Tenant(
                "anonymous",
                "Anonymous (edge disabled)",
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Long.MAX_VALUE,
                java.util.List.of(),
                java.util.Set.of("scoring"),
                false),
            "none",
            java.util.Set.of("scoring"));
    return ctx -> {
      RequestContext.from(ctx).authenticated(anonymous);
      ctx.next();
    };
  }

  /** The authenticated caller; only called behind this handler. */
  public static Caller caller(RoutingContext ctx) {
    if (RequestContext.from(ctx).principal() instanceof Caller caller) {
      return caller;
    }
    throw new IllegalStateException("no caller: route mounted outside the edge");
  }
}
