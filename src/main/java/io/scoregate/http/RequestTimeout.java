package io.scoregate.http;

import io.scoregate.problem.ProblemException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a call's time, counted from its arrival ({@link RequestContext#arrivedAt()}). When the
 * time is up and the client has not finished sending its body (a body shorter than its {@code
 * Content-Length}, a chunked body without its last chunk), the client is at fault: 408, and the
 * connection is closed since the rest of its body will not be read. When the body was all there,
 * the service was too slow: 503 with {@code Retry-After}.
 *
 * <p>No timer per call: the calls of one event loop wait in arrival order, which is their
 * deadlines' order (one timeout for all), and one timer per loop looks at the oldest when it is
 * due; a timer per call cost a scheduling, a cancellation and a close hook on the verticle for
 * every request (~3 % of a cached decision's samples). A call is answered with its timeout up to
 * {@link #LOOK_MS} late.
 */
public final class RequestTimeout implements PlatformHandler {

  /** The shortest wait between two looks: bounds the looks under overload, and the lateness. */
  static final long LOOK_MS = 10;

  private final long timeoutMs;
  // One watch per event loop: a router may be served by several.
  private final Map<Thread, Watch> watches = new ConcurrentHashMap<>();

  public RequestTimeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long deadline = RequestContext.from(ctx).deadline(timeoutMs);
    Thread loop = Thread.currentThread();
    Watch watch = watches.get(loop);
    if (watch == null) {
      watch = watches.computeIfAbsent(loop, t -> new Watch(ctx.vertx(), timeoutMs));
    }
    watch.add(ctx, deadline);
    ctx.next();
  }

  /**
   * A call until its answer ends ({@code ctx} null then) or its deadline passes; {@code context} is
   * its own, where its timeout is answered.
   */
  private static final class Call {
    private RoutingContext ctx;
    private Context context;
    private final long deadline;

    Call(RoutingContext ctx, Context context, long deadline) {
      this.ctx = ctx;
      this.context = context;
      this.deadline = deadline;
    }
  }

  /** The calls of one event loop, oldest first; touched only on that loop. */
  private static final class Watch {
    private final Vertx vertx;
    private final long timeoutMs;
    private final ArrayDeque<Call> calls = new ArrayDeque<>();
    private boolean armed;

    Watch(Vertx vertx, long timeoutMs) {
      this.vertx = vertx;
      this.timeoutMs = timeoutMs;
    }

    void add(RoutingContext ctx, long deadline) {
      Call call = new Call(ctx, Vertx.currentContext(), deadline);
      // Answered: the call's contexts are let go at once, the entry when it reaches the head.
      ctx.addBodyEndHandler(
          ended -> {
            call.ctx = null;
            call.context = null;
          });
      calls.add(call);
      if (!armed) {
        arm(deadline);
      }
    }

    private void arm(long deadline) {
      armed = true;
      long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1;
      vertx.setTimer(Math.max(LOOK_MS, wait), id -> look());
    }

    private void look() {
      armed = false;
      long now = System.nanoTime();
      Call oldest;
      while ((oldest = calls.peek()) != null
          && (oldest.ctx == null || now - oldest.deadline >= 0)) {
        calls.poll();
        if (oldest.ctx != null) {
          RoutingContext late = oldest.ctx;
          oldest.context.runOnContext(v -> timedOut(late, timeoutMs));
        }
      }
      if (oldest != null) {
        arm(oldest.deadline);
      }
    }
  }

  private static void timedOut(RoutingContext ctx, long timeoutMs) {
    if (ctx.response().ended() || ctx.response().closed() || ctx.failed()) {
      return;
    }
    if (ctx.request().isEnded()) {
      // The failure handler adds the configured Retry-After to every 503.
      ctx.fail(
          new ProblemException(
              503,
              "service-unavailable",
              "Service unavailable",
              "The call took longer than this service allows; retry later.",
              Map.of(),
              "no answer within the request timeout (" + timeoutMs + " ms)",
              null));
    } else {
      ctx.addEndHandler(ended -> ctx.request().connection().close());
      ctx.fail(
          new ProblemException(
              408,
              "request-timeout",
              "Request timeout",
              "The request body did not arrive in time.",
              Map.of(HttpHeaders.CONNECTION.toString(), "close"),
              null,
              null));
    }
  }
}
