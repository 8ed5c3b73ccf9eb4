package io.scoregate.edge;

import io.scoregate.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may administer what, behind the admin edge (which has already required the {@code admin}
 * scope or the platform role): the platform role for what concerns every tenant (creating tenants,
 * issuer bindings, the model registry); a tenant's own {@code admin} scope for its own keys.
 * Another tenant's objects answer 404, as if they did not exist (OWASP API1: no hint for an
 * enumerator).
 */
public final class AdminAccess {

  private AdminAccess() {}

  /** A guard for routes of the platform only: 403 for any other caller. */
  public static Handler<RoutingContext> platformOnly() {
    return ctx -> {
      if (isPlatform(ctx)) {
        ctx.next();
      } else {
        ctx.fail(platformRequired());
      }
    };
  }

  /**
   * A guard for every route under {@code /tenants/:tenant}: the platform, or that tenant itself;
   * another tenant sees a 404. Mount it on each such route, whichever unit owns it.
   */
  public static Handler<RoutingContext> ownTenant() {
    return ctx -> {
      requireTenant(ctx, ctx.pathParam("tenant"));
      ctx.next();
    };
  }

  static boolean isPlatform(RoutingContext ctx) {
    Caller caller = Tenants.caller(ctx);
    return caller != null && caller.platform();
  }

  /** Fails unless the caller is the platform or this tenant itself. */
  static void requireTenant(RoutingContext ctx, String tenantId) {
    Caller caller = Tenants.caller(ctx);
    if (caller == null) {
      throw new IllegalStateException("no caller: route mounted outside the edge");
    }
    if (!caller.platform() && !caller.tenant().id().equals(tenantId)) {
      throw ProblemException.notFound("No such tenant.");
    }
  }

  static ProblemException platformRequired() {
    return new ProblemException(
        403,
        "platform-role-required",
        "Platform role required",
        "Only the platform's own credentials may do this.");
  }
}
