package io.scoregate.edge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling. Until authentication is in place every call belongs to the single default tenant;
 * this handler is the place in the pipeline where authentication, the IP allow-list and quotas will
 * resolve the real tenant.
 */
public final class Tenants implements Handler<RoutingContext> {

  public static final String DEFAULT_TENANT = "default";
  private static final String KEY = "tenantId";

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(KEY, DEFAULT_TENANT);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String tenant = ctx.get(KEY);
    return tenant == null ? DEFAULT_TENANT : tenant;
  }
}
