package io.scoregate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * What a request carries through the pipeline, typed, instead of string keys on the {@link
 * RoutingContext} (as Eclipse Hono's {@code HttpContext.from(ctx)}): its id and the time it
 * arrived, set first, and the principal, set by the edge once the caller is authenticated.
 */
public final class RequestContext {

  private static final String KEY = RequestContext.class.getName();

  private final String requestId;
  private final long arrivedAt;
  private Principal principal;

  private RequestContext(String requestId) {
    this.requestId = requestId;
    this.arrivedAt = System.nanoTime();
  }

  /** Starts the context of a request; {@link RequestIdHandler} does it first. */
  static RequestContext start(RoutingContext ctx, String requestId) {
    RequestContext context = new RequestContext(requestId);
    ctx.put(KEY, context);
    return context;
  }

  /** The request's context; a router without {@link RequestIdHandler} gets one without an id. */
  public static RequestContext from(RoutingContext ctx) {
    RequestContext context = ctx.get(KEY);
    return context != null ? context : start(ctx, null);
  }

  /** The id echoed in {@code X-Request-Id}, logged and journaled; null before it is set. */
  public String requestId() {
    return requestId;
  }

  /**
   * When the request arrived ({@link System#nanoTime()}): what its timeout counts from, at every
   * step that bounds its time.
   */
  public long arrivedAt() {
    return arrivedAt;
  }

  /** The {@link System#nanoTime()} at which a request with this timeout has run out of time. */
  public long deadline(long timeoutMs) {
    return arrivedAt + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** The authenticated caller, or null before the edge (or on routes outside it). */
  public Principal principal() {
    return principal;
  }

  /** The caller's tenant; only for routes behind the edge, where there is always one. */
  public String tenantId() {
    if (principal == null) {
      throw new IllegalStateException("no principal: route mounted outside the edge");
    }
    return principal.tenantId();
  }

  /** Called by the edge when it has authenticated the caller. */
  public void authenticated(Principal caller) {
    this.principal = caller;
  }
}
