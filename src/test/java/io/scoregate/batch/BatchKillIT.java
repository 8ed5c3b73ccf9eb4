package io.scoregate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a 100,000-line batch: the gateway that works it is a separate process,
 * killed with SIGKILL while its chunks are in flight, then started again; the batch completes with
 * exactly one result per line.
 */
class BatchKillIT {

  private static final int LINES = 100_000;

  @Test
  void aKilledInstanceRestartsAndTheBatchCompletesWithExactlyOneResultPerLine() throws Exception {
    TestPostgres.ensureSchema();
    List<String> sirens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insert(siren, "Kill Test " + i, (i % 10) / 10.0 + 0.05);
      sirens.add(siren);
    }
    StringBuilder csv = new StringBuilder("reference,siren\n");
    for (int i = 1; i <= LINES; i++) {
      csv.append("k").append(i).append(',').append(sirens.get(i % sirens.size())).append('\n');
    }
    String instance = "kill-" + System.nanoTime();
    String id;
    // Submitted to an instance that works nothing itself.
    try (TestGateway submitter =
        TestGateway.start(
            new ManualClock(Instant.now()), Map.of("SCOREGATE_BATCH_WORKERS_ENABLED", "false"))) {
      HttpResponse<String> r =
          submitter.send(
              java.net.http.HttpRequest.newBuilder(submitter.uri("/api/v1/batches"))
                  .timeout(Duration.ofMinutes(3))
                  .header("X-API-Key", submitter.apiKey())
                  .header("Content-Type", "text/csv")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString()))
                  .build());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      id = new JsonObject(r.body()).getString("id");
    }
    String results = "SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'";

    Process first = startGateway(instance, "first");
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> BatchIT.count(results) >= 5_000);
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
      first.waitFor();
    }
    long atKill = BatchIT.count(results);
    assertThat(atKill).isLessThan(LINES);
    assertThat(
            BatchIT.count(
                "SELECT count(*) FROM batch_chunks WHERE batch_id = '"
                    + id
                    + "' AND status = 'pending' AND lease_owner IS NOT NULL"))
        .as("chunks were in flight when the instance died")
        .isPositive();

    Process second = startGateway(instance, "second");
    try {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  BatchIT.count(
                          "SELECT count(*) FROM batches WHERE id = '"
                              + id
                              + "' AND status = 'completed'")
                      == 1);
    } finally {
      second.destroyForcibly();
      second.waitFor();
    }
    assertThat(BatchIT.count(results)).isEqualTo(LINES);
    assertThat(
            BatchIT.count(
                "SELECT count(DISTINCT line) FROM batch_results WHERE batch_id = '" + id + "'"))
        .isEqualTo(LINES);
    assertThat(
            BatchIT.count(
                "SELECT count(*) FROM batch_results WHERE batch_id = '"
                    + id
                    + "' AND line BETWEEN 1 AND "
                    + LINES))
        .isEqualTo(LINES);
    assertThat(
            BatchIT.count(
                "SELECT count(*) FROM batch_results r JOIN batch_items i USING (batch_id, line)"
                    + " WHERE r.batch_id = '"
                    + id
                    + "' AND r.reference = i.reference AND r.ok"))
        .isEqualTo(LINES);
    assertThat(BatchIT.count("SELECT succeeded + failed FROM batches WHERE id = '" + id + "'"))
        .isEqualTo(LINES);
  }

  private static Process startGateway(String instance, String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.scoregate.app.Main",
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(new File("target/batch-kill-" + name + ".log"));
    Map<String, String> env = builder.environment();
    env.put("SCOREGATE_PG_HOST", TestPostgres.host());
    env.put("SCOREGATE_PG_PORT", Integer.toString(TestPostgres.port()));
    env.put("SCOREGATE_PG_DATABASE", TestPostgres.database());
    env.put("SCOREGATE_PG_USER", TestPostgres.user());
    env.put("SCOREGATE_PG_PASSWORD", TestPostgres.password());
    env.put("SCOREGATE_PG_MIGRATE_ON_START", "false");
    env.put("SCOREGATE_HTTP_HOST", "127.0.0.1");
    env.put("SCOREGATE_HTTP_PORT", Integer.toString(freePort()));
    env.put("SCOREGATE_HTTP_INSTANCES", "1");
    env.put("SCOREGATE_HTTP_ACCESS_LOG", "false");
    env.put("SCOREGATE_INSTANCE_ID", instance);
    env.put("SCOREGATE_REDIS_TIMEOUT_MS", "2000");
    env.put("SCOREGATE_BATCH_POLL_MS", "100");
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
