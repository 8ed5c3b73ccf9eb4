package io.scoregate.edge;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each tenant's rate (GCRA with its burst) and monthly quota in one Redis round trip: an
 * atomic Lua script, loaded at start and called by its SHA (reloaded if Redis lost it). Every
 * instance shares the counters, so together they never let through more than the plan.
 *
 * <p>Redis gets a short configured timeout behind a circuit breaker. While it cannot be reached,
 * each instance limits on its own to a configured share of the tenant's rate (the monthly quota
 * counts on from the last figure Redis gave), marks the answer degraded, and goes back to Redis as
 * soon as the breaker lets a call through again.
 */
public final class RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final String RESERVE_SCRIPT = readScript("/edge/quota-reserve.lua");

  /** Redis timeout, breaker, and the local limit while Redis is away. */
  public record Settings(long timeoutMs, double fallbackShare, long breakerOpenMs) {}

  private final LoopRedis redis;
  private final Settings settings;
  private final Clock clock;
  private final String script;
  private final CircuitBreaker breaker;
  private final Map<String, LocalState> local = new ConcurrentHashMap<>();

  /**
   * A tenant's local limit: its theoretical arrival time in (fractional) milliseconds, since a plan
   * of thousands of calls a second spaces them by less than one, and its calls this month.
   */
  private static final class LocalState {
    private double tat;
    private long used;

    LocalState(double tat, long used) {
      this.tat = tat;
      this.used = used;
    }
  }

  private volatile String sha;
  private volatile boolean degraded;

  /**
   * @param redis the shared Redis client
   * @param loopClients makes the client of each event loop's own connection ({@link LoopRedis})
   */
  public RateLimiter(Redis redis, Supplier<Redis> loopClients, Settings settings, Clock clock) {
    this.redis = new LoopRedis(redis, loopClients);
    this.settings = settings;
    this.clock = clock;
    this.script = readScript();
    this.breaker =
        CircuitBreaker.of(
            "redis",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(settings.breakerOpenMs()))
                .permittedNumberOfCallsInHalfOpenState(3)
                .build());
  }

  /** Loads the script; a Redis that is down now is not fatal (the limiter degrades). */
  public Future<Void> start() {
    return load()
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("rate-limit script not loaded yet, Redis unreachable: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  /** True while the last decision was made without Redis. */
  public boolean degraded() {
    return degraded;
  }

  /** Counts one call of the tenant, or says which policy refuses it. */
  public Future<Quota> acquire(Tenant tenant) {
    return call(tenant, false);
  }

  /** Where the tenant stands, counting nothing: for answers refused before the quota step. */
  public Future<Quota> peek(Tenant tenant) {
    return call(tenant, true);
  }

  /** Where the month stands after {@link #reserve}: reserved, or refused with the numbers. */
  public record Reservation(
      boolean reserved, long requested, long used, long limit, long resetMs) {}

  /**
   * Counts {@code n} calls at once against the tenant's monthly quota, all or none (a batch's
   * lines). Unlike {@link #acquire} there is no local fallback: while Redis is away this fails, and
   * a batch is better refused for a while than let past a quota.
   */
  public Future<Reservation> reserve(Tenant tenant, long n) {
    long now = clock.millis();
    long monthEnd = monthEnd(now);
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC));
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(RESERVE_SCRIPT)
                .arg(1)
                .arg("scoregate:rl:{" + tenant.id() + "}:m:" + month)
                .arg(n)
                .arg(tenant.monthlyQuota())
                .arg(now)
                .arg(monthEnd))
        .timeout(settings.timeoutMs() * 10, TimeUnit.MILLISECONDS)
        .map(
            r ->
                new Reservation(
                    r.get(0).toInteger() == 1,
                    n,
                    r.get(1).toLong(),
                    tenant.monthlyQuota(),
                    monthEnd - now));
  }

  private Future<Quota> call(Tenant tenant, boolean peek) {
    long now = clock.millis();
    long monthEnd = monthEnd(now);
    if (!breaker.tryAcquirePermission()) {
      return Future.succeededFuture(fallback(tenant, now, monthEnd, peek));
    }
    long start = System.nanoTime();
    return evaluate(tenant, now, monthEnd, peek)
        .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
        .map(
            response -> {
              breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              if (degraded) {
                LOG.info("Redis answers again: shared rate limits resumed");
              }
              degraded = false;
              Quota quota = quota(tenant, response, monthEnd - now);
              // Remember where the month stands, to count on from it if Redis goes away.
              local.put(
                  tenant.id(),
                  new LocalState(now, tenant.monthlyQuota() - quota.monthlyRemaining()));
              return quota;
            })
        .recover(
            e -> {
              breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
              if (!degraded) {
                LOG.warn(
                    "Redis unreachable ({}): local rate limits until it answers", e.getMessage());
              }
              return Future.succeededFuture(fallback(tenant, now, monthEnd, peek));
            });
  }

  private Future<Response> evaluate(Tenant tenant, long now, long monthEnd, boolean peek) {
    String current = sha;
    Future<Response> call =
        current == null
            ? load().compose(s -> evalsha(s, tenant, now, monthEnd, peek))
            : evalsha(current, tenant, now, monthEnd, peek);
    return call.recover(
        e ->
            e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                ? load().compose(s -> evalsha(s, tenant, now, monthEnd, peek))
                : Future.failedFuture(e));
  }

  private Future<Response> evalsha(
      String scriptSha, Tenant tenant, long now, long monthEnd, boolean peek) {
    String prefix = "scoregate:rl:{" + tenant.id() + "}:";
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC));
    return redis.send(
        Request.cmd(Command.EVALSHA)
            .arg(scriptSha)
            .arg(2)
            .arg(prefix + "gcra")
            .arg(prefix + "m:" + month)
            .arg(now)
            .arg(Double.toString(1000.0 / tenant.ratePerSecond()))
            .arg(tenant.burst())
            .arg(tenant.monthlyQuota())
            .arg(monthEnd)
            .arg(peek ? "1" : "0"));
  }

  private Future<String> load() {
    return redis
        .send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script))
        .map(
            r -> {
              sha = r.toString();
              return sha;
            });
  }

  private Quota quota(Tenant tenant, Response r, long monthResetMs) {
    long used = r.get(5).toLong();
    return new Quota(
        r.get(0).toInteger() == 1,
        r.get(1).toString().isEmpty() ? null : r.get(1).toString(),
        tenant.burst(),
        r.get(2).toLong(),
        r.get(3).toLong(),
        tenant.monthlyQuota(),
        Math.max(0, tenant.monthlyQuota() - used),
        monthResetMs,
        r.get(4).toLong(),
        false);
  }

  /** The local limit while Redis is away: a share of the rate, per instance. */
  private Quota fallback(Tenant tenant, long now, long monthEnd, boolean peek) {
    degraded = true;
    double rate = Math.max(1e-3, tenant.ratePerSecond() * settings.fallbackShare());
    int burst = Math.max(1, (int) Math.floor(tenant.burst() * settings.fallbackShare()));
    double interval = 1000.0 / rate;
    double tolerance = interval * burst;
    LocalState state = local.computeIfAbsent(tenant.id(), id -> new LocalState(now, 0));
    synchronized (state) {
      double tat = Math.max(state.tat, now);
      double allowAt = tat + interval - tolerance;
      long remainingMonth = Math.max(0, tenant.monthlyQuota() - state.used);
      if (peek) {
        long remaining =
            Math.max(0, Math.min(burst, (long) ((now - (tat - tolerance)) / interval)));
        return new Quota(
            true,
            null,
            burst,
            remaining,
            (long) Math.ceil(tat - now),
            tenant.monthlyQuota(),
            remainingMonth,
            monthEnd - now,
            0,
            true);
      }
      if (allowAt > now) {
        return new Quota(
            false,
            "burst",
            burst,
            0,
            (long) Math.ceil(tat - now),
            tenant.monthlyQuota(),
            remainingMonth,
            monthEnd - now,
            (long) Math.ceil(allowAt - now),
            true);
      }
      if (remainingMonth == 0) {
        return new Quota(
            false,
            "monthly",
            burst,
            (long) ((now - (tat - tolerance)) / interval),
            (long) Math.ceil(tat - now),
            tenant.monthlyQuota(),
            0,
            monthEnd - now,
            monthEnd - now,
            true);
      }
      state.tat = tat + interval;
      state.used++;
      return new Quota(
          true,
          null,
          burst,
          Math.max(0, (long) ((now - (tat + interval - tolerance)) / interval)),
          (long) Math.ceil(tat + interval - now),
          tenant.monthlyQuota(),
          remainingMonth - 1,
          monthEnd - now,
          0,
          true);
    }
  }

  /** The first instant of the next calendar month, UTC: when monthly quotas start again. */
  static long monthEnd(long nowMs) {
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC));
    return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static String readScript() {
    return readScript("/edge/rate-limit.lua");
  }

  private static String readScript(String resource) {
    try (InputStream in = RateLimiter.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
