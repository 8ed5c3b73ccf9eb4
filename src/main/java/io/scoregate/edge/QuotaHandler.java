package io.scoregate.edge;

import io.scoregate.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;

/**
 * Counts the call against the tenant's rate and monthly quota (one Redis round trip) and writes the
 * quota headers on the answer, whatever it turns out to be: {@code X-RateLimit-*} for the tightest
 * policy (GitHub style, reset in epoch seconds) and {@code RateLimit-Policy} / {@code RateLimit} of
 * draft-ietf-httpapi-ratelimit-headers-11. Over a limit: 429 with {@code Retry-After} and a problem
 * naming the policy.
 */
public final class QuotaHandler implements Handler<RoutingContext> {

  private final RateLimiter limiter;
  private final Clock clock;

  public QuotaHandler(RateLimiter limiter, Clock clock) {
    this.limiter = limiter;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Tenant tenant = Tenants.caller(ctx).tenant();
    limiter
        .acquire(tenant)
        .onSuccess(
            quota -> {
              headers(ctx.response().headers(), quota, clock.millis());
              if (quota.allowed()) {
                ctx.next();
                return;
              }
              long retryAfter = Math.max(1, (quota.retryAfterMs() + 999) / 1000);
              ctx.fail(
                  new ProblemException(
                      429,
                      "rate-limited",
                      "Too many requests",
                      "burst".equals(quota.violated())
                          ? "Over the "
                              + tenant.ratePerSecond()
                              + " calls/s rate (burst "
                              + tenant.burst()
                              + ") of policy \"burst\": retry in "
                              + retryAfter
                              + " s."
                          : "The monthly quota of "
                              + tenant.monthlyQuota()
                              + " calls (policy \"monthly\") is used up until the first of next"
                              + " month, UTC.",
                      Map.of("Retry-After", Long.toString(retryAfter)),
                      null,
                      null));
            })
        .onFailure(ctx::fail);
  }

  static void headers(MultiMap h, Quota q, long nowMs) {
    boolean burst = q.burstIsTightest();
    long limit = burst ? q.burstLimit() : q.monthlyLimit();
    long remaining = burst ? q.burstRemaining() : q.monthlyRemaining();
    long resetMs = burst ? q.burstResetMs() : q.monthlyResetMs();
    long resetSeconds = (resetMs + 999) / 1000;
    h.set("X-RateLimit-Limit", Long.toString(limit));
    h.set("X-RateLimit-Remaining", Long.toString(remaining));
    h.set("X-RateLimit-Reset", Long.toString((nowMs + resetMs + 999) / 1000));
    h.set(
        "RateLimit-Policy",
        "\"burst\";q="
            + q.burstLimit()
            + ";w=1, \"monthly\";q="
            + q.monthlyLimit()
            + ";w="
            + monthSeconds(nowMs));
    h.set(
        "RateLimit",
        "\"" + (burst ? "burst" : "monthly") + "\";r=" + remaining + ";t=" + resetSeconds);
  }

  private static long monthSeconds(long nowMs) {
    java.time.YearMonth month =
        java.time.YearMonth.from(
            java.time.Instant.ofEpochMilli(nowMs).atZone(java.time.ZoneOffset.UTC));
    return month.lengthOfMonth() * 86_400L;
  }
}
