package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits and monthly quotas against the real Redis, with their headers. */
class RateLimitIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-30T23:59:50Z"));
  private static TestGateway gateway;
  private static String siren;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Quota Test SAS");
    gateway = TestGateway.start(CLOCK, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  static HttpResponse<String> decide(TestGateway g, String key, String sirenOrBad) {
    return g.send(
        HttpRequest.newBuilder(g.uri("/api/v1/scoring"))
            .header("Content-Type", "application/json")
            .header("X-API-Key", key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"siren\":\"" + sirenOrBad + "\",\"amount\":1000,\"payment_term\":30}"))
            .build());
  }

  private static String tenant(int rate, int burst, long monthly) {
    return TestTenants.create(
        gateway.config(), "q" + System.nanoTime(), "scoring", rate, burst, monthly, "{}");
  }

  private static void assertHeaders(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("X-RateLimit-Limit")).isPresent();
    assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isPresent();
    assertThat(r.headers().firstValue("X-RateLimit-Reset")).isPresent();
    assertThat(r.headers().firstValue("RateLimit-Policy")).isPresent();
    assertThat(r.headers().firstValue("RateLimit")).isPresent();
  }

  @Test
  void everyAuthenticatedAnswerCarriesTheQuotaHeadersErrorsIncluded() {
    String key = tenant(10, 20, 1000);
    HttpResponse<String> ok = decide(gateway, key, siren);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertHeaders(ok);
    assertThat(ok.headers().firstValue("RateLimit-Policy"))
        .contains("\"burst\";q=20;w=1, \"monthly\";q=1000;w=2592000");
    assertThat(ok.headers().firstValue("X-RateLimit-Limit")).contains("20");
    assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).contains("19");
    assertThat(ok.headers().firstValue("RateLimit")).contains("\"burst\";r=19;t=1");
    long reset = Long.parseLong(ok.headers().firstValue("X-RateLimit-Reset").orElseThrow());
    assertThat(reset)
        .isBetween(CLOCK.instant().getEpochSecond(), CLOCK.instant().getEpochSecond() + 1);

    HttpResponse<String> invalid = decide(gateway, key, "123456789");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertHeaders(invalid);
    assertThat(invalid.headers().firstValue("X-RateLimit-Remaining")).contains("18");
  }

  @Test
  void overTheBurstIs429WithRetryAfterAndTheRateComesBack() {
    String key = tenant(1, 3, 1000);
    for (int i = 0; i < 3; i++) {
      assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = decide(gateway, key, siren);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertHeaders(limited);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    JsonObject problem = new JsonObject(limited.body());
    assertThat(problem.getString("type")).isEqualTo("/problems/rate-limited");
    assertThat(problem.getString("detail")).contains("\"burst\"");

    CLOCK.advance(Duration.ofSeconds(1));
    assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(200);
    assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(429);
  }

  @Test
  void theMonthlyQuotaIsCountedOnlyForAcceptedCallsAndResetsWithTheMonth() {
    String key = tenant(1000, 1000, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> over = decide(gateway, key, siren);
      assertThat(over.statusCode()).isEqualTo(429);
      assertThat(over.headers().firstValue("RateLimit"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("\"monthly\";r=0;t="));
      assertThat(new JsonObject(over.body()).getString("detail")).contains("\"monthly\"");
    }
    // Rejected calls did not count: the month stands at exactly 5.
    String month =
        java.time.YearMonth.from(CLOCK.instant().atZone(java.time.ZoneOffset.UTC)).toString();
    assertThat(TestRedis.get("scoregate:rl:{" + tenantOf(key) + "}:m:" + month)).isEqualTo("5");

    // The month turns (the test clock stands ten seconds before July): the quota is back.
    CLOCK.advance(Duration.ofSeconds(11));
    HttpResponse<String> july = decide(gateway, key, siren);
    assertThat(july.statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(-11));
  }

  @Test
  void metricsCountEachRedisClientsConnectionsAndEveryJournaledDecision() {
    String key = tenant(10, 20, 1000);
    assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(200);
    String metrics = gateway.get("/metrics").body();
    // The pool and the connection of the loop that served the call, each with its own gauge.
    assertThat(metrics)
        .contains("vertx_net_client_active_connections{client_name=\"scoregate-redis\"}")
        .containsPattern(
            "vertx_net_client_active_connections\\{client_name=\"scoregate-redis-vert\\.x-eventloop"
                + "-thread-\\d+\"\\} 1\\.0");
    assertThat(metrics).containsPattern("scoregate_journal_append_seconds_count [1-9]");
    assertThat(metrics).containsPattern("scoregate_journal_commit_seconds_count [1-9]");
  }

  @Test
  void aRedisThatLostTheScriptGetsItAgain() {
    String key = tenant(10, 20, 1000);
    assertThat(decide(gateway, key, siren).statusCode()).isEqualTo(200);
    assertThat(TestRedis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
    HttpResponse<String> after = decide(gateway, key, siren);
    assertThat(after.statusCode()).isEqualTo(200);
    // Still the shared counters (not the local fallback, which would allow half the burst).
    assertThat(after.headers().firstValue("X-RateLimit-Limit")).contains("20");
    assertThat(after.headers().firstValue("X-RateLimit-Remaining")).contains("18");
  }

  @Test
  void twoInstancesTogetherNeverLetThroughMoreThanTheLimit() throws Exception {
    String key = tenant(1, 20, 1_000_000);
    ManualClock sameTime = new ManualClock(CLOCK.instant());
    try (TestGateway second = TestGateway.start(sameTime, Map.of())) {
      List<CompletableFuture<HttpResponse<String>>> calls =
          IntStream.range(0, 60)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> decide(i % 2 == 0 ? gateway : second, key, siren)))
              .toList();
      long accepted =
          calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
      long limited =
          calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).count();
      assertThat(accepted).isEqualTo(20);
      assertThat(limited).isEqualTo(40);
    }
  }

  private static String tenantOf(String key) {
    return TestPostgres.string(
        "SELECT tenant_id FROM api_keys WHERE id = '" + ApiKeys.idOf(key) + "'");
  }
}
