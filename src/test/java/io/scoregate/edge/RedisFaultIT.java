package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis of its own, stopped and started again during traffic: calls keep being answered with
 * quota headers under local limits, never waiting past the Redis timeout, and shared limits come
 * back without a restart.
 */
class RedisFaultIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static int port;
  private static Process redis;
  private static TestGateway gateway;
  private static String siren;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Redis Fault SAS");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    redis = startRedis();
    gateway =
        TestGateway.start(
            CLOCK,
            Map.of(
                "SCOREGATE_REDIS_PORT", Integer.toString(port),
                "SCOREGATE_REDIS_TIMEOUT_MS", "200",
                "SCOREGATE_REDIS_BREAKER_OPEN_MS", "300",
                "SCOREGATE_REDIS_FALLBACK_SHARE", "0.5"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    redis.destroy();
  }

  private static Process startRedis() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
    return p;
  }

  private static String ready() {
    return new JsonObject(gateway.get("/health/ready").body())
        .getJsonObject("checks")
        .getString("rate_limits");
  }

  @Test
  void withoutRedisCallsAreLimitedLocallyAndSharedLimitsResumeWhenItIsBack() throws Exception {
    String key =
        TestTenants.create(
            gateway.config(), "rf" + System.nanoTime(), "scoring", 1, 10, 1000, "{}");
    HttpResponse<String> before = RateLimitIT.decide(gateway, key, siren);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.headers().firstValue("X-RateLimit-Limit")).contains("10");
    assertThat(ready()).isEqualTo("UP");

    redis.destroyForcibly().waitFor();

    // Each call is answered, with headers, after at most the Redis timeout.
    int accepted = 0;
    int limited = 0;
    for (int i = 0; i < 8; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = RateLimitIT.decide(gateway, key, siren);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(r.headers().firstValue("X-RateLimit-Limit")).isPresent();
      assertThat(r.headers().firstValue("RateLimit")).isPresent();
      if (r.statusCode() == 200) {
        accepted++;
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        limited++;
      }
    }
    // Local limit: half the burst of 10 on this instance.
    assertThat(accepted).isEqualTo(5);
    assertThat(limited).isEqualTo(3);
    assertThat(ready()).startsWith("DEGRADED");
    assertThat(gateway.get("/metrics").body()).contains("scoregate_ratelimit_degraded 1.0");

    redis = startRedis();
    CLOCK.advance(Duration.ofSeconds(30)); // the burst refills meanwhile
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> r = RateLimitIT.decide(gateway, key, siren);
              return r.statusCode() == 200 && "UP".equals(ready());
            });
    assertThat(gateway.get("/metrics").body()).contains("scoregate_ratelimit_degraded 0.0");
  }
}
