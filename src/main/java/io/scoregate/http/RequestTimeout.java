package io.scoregate.http;

import io.scoregate.problem.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a call's time, counted from its arrival ({@link RequestContext#arrivedAt()}). When the
 * time is up and the client has not finished sending its body (a body shorter than its {@code
 * Content-Length}, a chunked body without its last chunk), the client is at fault: 408, and the
 * connection is closed since the rest of its body will not be read. When the body was all there,
 * the service was too slow: 503 with {@code Retry-After}.
 */
public final class RequestTimeout implements PlatformHandler {

  private final long timeoutMs;

  public RequestTimeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long left =
        TimeUnit.NANOSECONDS.toMillis(
            RequestContext.from(ctx).deadline(timeoutMs) - System.nanoTime());
    long timer =
        ctx.vertx()
            .setTimer(
                Math.max(1, left),
                id -> {
                  if (ctx.response().ended() || ctx.response().closed() || ctx.failed()) {
                    return;
                  }
                  if (ctx.request().isEnded()) {
                    // The failure handler adds the configured Retry-After to every 503.
                    ctx.fail(
                        ProblemException.unavailable(
                            "The call took longer than this service allows; retry later.", null));
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
                });
    ctx.addBodyEndHandler(ended -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }
}
