package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local limits a gateway applies while Redis cannot be reached. */
class RateLimiterFallbackTest {

  private Vertx vertx;
  private RateLimiter limiter;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // Nothing listens on port 1: every Redis call fails at once and the limiter falls back.
    Redis unreachable = Redis.createClient(vertx, "redis://127.0.0.1:1");
    limiter =
        new RateLimiter(
            unreachable,
            () -> unreachable,
            new RateLimiter.Settings(50, 0.5, 60_000),
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Tenant tenant(int rate, int burst) {
    return new Tenant(
        "t", "T", rate, burst, 1_000_000_000L, List.of(), Set.of("scoring"), false, false);
  }

  private Quota acquire(Tenant tenant) throws Exception {
    return limiter
        .acquire(tenant)
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void aHighRatePlanKeepsItsShareWhenCallsComeFasterThanOneAMillisecond() throws Exception {
    // 100,000/s with a burst of 100,000: half of it locally, so 50,000 calls at one instant pass.
    Tenant tenant = tenant(100_000, 100_000);
    int allowed = 0;
    for (int i = 0; i < 20_000; i++) {
      Quota quota = acquire(tenant);
      assertThat(quota.degraded()).isTrue();
      if (quota.allowed()) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(20_000);
  }

  @Test
  void theLocalBurstIsTheConfiguredShareOfThePlans() throws Exception {
    // 10/s with a burst of 20: half locally, so 10 calls at one instant, then refusals.
    Tenant tenant = tenant(10, 20);
    int allowed = 0;
    for (int i = 0; i < 30; i++) {
      if (acquire(tenant).allowed()) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(10);
  }
}
