package io.scoregate.edge;

import io.scoregate.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A route's own scope, beyond the one its sub-router's guard already required (e.g. {@code
 * portfolios} under {@code /api/v1}): 403 {@code insufficient-scope} when the caller lacks it.
 */
public final class ScopeGuard {

  private ScopeGuard() {}

  public static Handler<RoutingContext> require(String scope) {
    return ctx -> {
      Caller caller = Tenants.caller(ctx);
      if (caller != null && caller.scopes().contains(scope)) {
        ctx.next();
      } else {
        ctx.fail(
            new ProblemException(
                403,
                "insufficient-scope",
                "Insufficient scope",
                "This credential lacks the '" + scope + "' scope."));
      }
    };
  }
}
