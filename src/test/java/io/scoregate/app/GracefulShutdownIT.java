package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a SIGTERM does (the shutdown hook calls {@link Gateway#stop()}): new connections are refused
 * at once, calls in flight finish with their decisions journaled, and the stop completes within the
 * configured grace period even when a call never finishes. Calls are held in flight by a lock on
 * the statements table that their Postgres reads wait for.
 */
class GracefulShutdownIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));

  @BeforeAll
  static void schema() {
    TestPostgres.ensureSchema();
  }

  private static TestGateway gateway(long graceMs, long closeMs) {
    return TestGateway.start(
        CLOCK,
        Map.of(
            "SCOREGATE_HTTP_SHUTDOWN_GRACE_MS",
            Long.toString(graceMs),
            "SCOREGATE_HTTP_SHUTDOWN_CLOSE_MS",
            Long.toString(closeMs),
            "SCOREGATE_HTTP_REQUEST_TIMEOUT_MS",
            "15000",
            "SCOREGATE_PG_STATEMENT_TIMEOUT_MS",
            "15000"));
  }

  /** Holds an exclusive lock on financial_statements until closed. */
  private static Connection lockStatements() throws Exception {
    Connection c =
        DriverManager.getConnection(
            TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE financial_statements IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  private static List<CompletableFuture<HttpResponse<String>>> decide(
      TestGateway gateway, List<String> sirens) {
    return sirens.stream().map(gateway::decideAsync).toList();
  }

  private static List<String> newCompanies(int n) {
    List<String> sirens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insertHealthy(siren, "Shutdown " + siren);
      sirens.add(siren);
    }
    return sirens;
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  private static void awaitWaitingOnTheLock() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> TestPostgres.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
  }

  @Test
  void callsInFlightFinishAndAreJournaledWhileNewConnectionsAreRefused() throws Exception {
    TestGateway gateway = gateway(10_000, 2_000);
    List<String> sirens = newCompanies(4);
    List<CompletableFuture<HttpResponse<String>>> calls;
    CompletableFuture<Void> stopped;
    try (Connection lock = lockStatements()) {
      calls = decide(gateway, sirens);
      awaitWaitingOnTheLock();
      stopped = gateway.gateway().stop().toCompletionStage().toCompletableFuture();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> refusesConnections(gateway.gateway().port()));
      assertThat(stopped).isNotDone();
      lock.rollback();
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    stopped.get(10, TimeUnit.SECONDS);
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM decision_journal WHERE national_id IN ('"
                    + String.join("','", sirens)
                    + "')"))
        .isEqualTo(sirens.size());
  }

  @Test
  void theStopEndsWithinTheGracePeriodEvenWhenACallNeverFinishes() throws Exception {
    TestGateway gateway = gateway(2_000, 500);
    List<String> sirens = newCompanies(1);
    try (Connection lock = lockStatements()) {
      List<CompletableFuture<HttpResponse<String>>> calls = decide(gateway, sirens);
      awaitWaitingOnTheLock();
      long begin = System.nanoTime();
      gateway.gateway().stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // 1.5 s for the call, at most 0.5 s to close, though Postgres still holds the query.
      assertThat(Duration.ofNanos(System.nanoTime() - begin))
          .isLessThan(Duration.ofMillis(2_000 + 500));
      assertThat(calls.get(0))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class);
      lock.rollback();
    }
  }
}
