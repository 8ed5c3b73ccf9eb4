package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TcpRelay;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Postgres goes away under a running gateway (a relay in front of the real server is cut) and comes
 * back: while it is gone every call that needs it, the API-key lookup once the key cache has
 * expired and the decision read-back included, is a 503 problem with {@code Retry-After}, never a
 * 500; the log stays one JSON-ready line per event, no stack trace; and the gateway serves again
 * once Postgres is back, without a restart.
 */
class PostgresOutageIT {

  private static TcpRelay relay;
  private static TestGateway gateway;
  private static String siren;
  private static String other;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    other = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Outage Test SAS");
    TestCompanies.insertHealthy(other, "Outage Other SAS");
    relay = new TcpRelay(TestPostgres.host(), TestPostgres.port());
    gateway =
        TestGateway.start(
            new ManualClock(Instant.parse("2026-06-15T10:00:00Z")),
            Map.of(
                "SCOREGATE_PG_PORT", Integer.toString(relay.port()),
                "SCOREGATE_EDGE_KEY_CACHE_SECONDS", "1",
                "SCOREGATE_HTTP_RETRY_AFTER_SECONDS", "7"));
  }

  @AfterAll
  static void stop() throws Exception {
    relay.restore();
    gateway.close();
    relay.close();
  }

  @Test
  void postgresDownIs503WithRetryAfterAndServesAgainWhenItIsBack() throws Exception {
    HttpResponse<String> decided = decide(siren);
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    String decision = new JsonObject(decided.body()).getString("decision_id");

    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    try {
      relay.cut();
      // Past the key cache: the key itself must be looked up in Postgres.
      Thread.sleep(1_500);
      List<HttpResponse<String>> during =
          List.of(
              decide(other),
              decide(siren),
              gateway.get("/api/v1/decisions/" + decision),
              gateway.get("/api/v1/companies/FR/" + other + "/score"));
      for (HttpResponse<String> answer : during) {
        assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("7");
        assertThat(new JsonObject(answer.body()).getString("type"))
            .isEqualTo("/problems/service-unavailable");
        assertThat(answer.body()).doesNotContain("Exception", "refused", "5432");
      }
      assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(503);
    } finally {
      root.detachAppender(log);
      relay.restore();
    }
    // Every event of the outage, the library's own among them, is one JSON line, its exception
    // reduced to the type: Caffeine's failed asynchronous load of the missed score reached logback
    // (through System.Logger), not the JDK's console handler with its stack trace.
    assertThat(log.list)
        .anyMatch(
            e ->
                e.getLoggerName().startsWith("com.github.benmanes.caffeine")
                    && e.getThrowableProxy() != null);
    JsonLineLayout layout = new JsonLineLayout();
    for (ILoggingEvent event : log.list) {
      String line = layout.doLayout(event).strip();
      assertThat(line).as(event.getLoggerName()).doesNotContain("\n", "\tat ");
      assertThat(new JsonObject(line).getString("msg")).isNotNull();
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> decide(other).statusCode() == 200);
    assertThat(gateway.get("/api/v1/decisions/" + decision).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> decide(String company) {
    return gateway.post(
        "/api/v1/scoring", "{\"siren\":\"" + company + "\",\"amount\":10000,\"payment_term\":30}");
  }
}
