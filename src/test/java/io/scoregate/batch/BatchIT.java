package io.scoregate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches end to end against real Postgres and Redis: every input format, per-line errors, the same
 * answers as the real-time API, idempotent submission, quota, cancel, purge, tenant isolation,
 * chunk leases, and two instances sharing one batch.
 */
class BatchIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static final List<BatchSummary> COMPLETED = new CopyOnWriteArrayList<>();
  private static final List<String> STATUS_SEEN_IN_TX = new CopyOnWriteArrayList<>();
  private static TestGateway gateway;
  private static String healthy;
  private static String medium;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway =
        TestGateway.start(
            CLOCK,
            Map.of("SCOREGATE_BATCH_POLL_MS", "50", "SCOREGATE_BATCH_CHUNK_SIZE", "4"),
            g ->
                g.addBatchListener(
                    (tx, summary) ->
                        tx.preparedQuery("SELECT status FROM batches WHERE id = $1")
                            .execute(io.vertx.sqlclient.Tuple.of(summary.batchId()))
                            .compose(
                                rows -> {
                                  STATUS_SEEN_IN_TX.add(rows.iterator().next().getString(0));
                                  COMPLETED.add(summary);
                                  return Future.<Void>succeededFuture();
                                })));
    healthy = TestCompanies.newSiren();
    TestCompanies.insertHealthy(healthy, "Batch Healthy SAS");
    medium = TestCompanies.newSiren();
    TestCompanies.insert(medium, "Batch Medium SARL", 0.5);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> submit(String path, String body, String type) {
    return gateway.post(path, body, type);
  }

  private static String accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = new JsonObject(response.body()).getString("id");
    assertThat(response.headers().firstValue("Location")).contains("/api/v1/batches/" + id);
    return id;
  }

  private static JsonObject waitFinished(String id) {
    JsonObject[] last = new JsonObject[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = new JsonObject(gateway.get("/api/v1/batches/" + id).body());
              return List.of("completed", "failed", "cancelled")
                  .contains(last[0].getString("status"));
            });
    return last[0];
  }

  private static List<JsonObject> ndjson(String id) {
    HttpResponse<String> r = gateway.get("/api/v1/batches/" + id + "/results?format=ndjson");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/x-ndjson");
    List<JsonObject> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  @Test
  void aCsvUploadIsScoredLineByLineWithPerLineErrorsInInputOrder() {
    String unknown = TestCompanies.newSiren(); // valid checksum, not on file
    String csv =
        "reference,siren\n"
            + "r1,"
            + healthy
            + "\n"
            + "r2,123456789\n"
            + "\"r3, quoted\","
            + medium
            + "\r\n"
            + "r4,"
            + unknown
            + "\n"
            + "r5,"
            + healthy
            + "\n";

    String id = accepted(submit("/api/v1/batches", csv, "text/csv"));
    JsonObject done = waitFinished(id);

    assertThat(done.getString("status")).isEqualTo("completed");
    JsonObject counts = done.getJsonObject("counts");
    assertThat(counts.getInteger("total")).isEqualTo(5);
    assertThat(counts.getInteger("succeeded")).isEqualTo(3);
    assertThat(counts.getInteger("failed")).isEqualTo(2);
    assertThat(counts.getInteger("invalid")).isEqualTo(1);
    List<JsonObject> lines = ndjson(id);
    assertThat(lines).extracting(l -> l.getInteger("line")).containsExactly(1, 2, 3, 4, 5);
    assertThat(lines)
        .extracting(l -> l.getString("reference"))
        .containsExactly("r1", "r2", "r3, quoted", "r4", "r5");
    assertThat(lines)
        .extracting(l -> l.getString("status"))
        .containsExactly("ok", "error", "ok", "error", "ok");
    JsonObject badChecksum = lines.get(1).getJsonObject("error");
    assertThat(badChecksum.getString("type")).isEqualTo("/problems/validation-error");
    assertThat(badChecksum.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("siren");
    assertThat(badChecksum.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("checksum");
    assertThat(lines.get(3).getJsonObject("error").getInteger("status")).isEqualTo(404);
    assertThat(lines.get(0).getJsonObject("result").getJsonObject("company").getString("id"))
        .isEqualTo(healthy);
  }

  @Test
  void scoreModeGivesTheRealTimeScoreAnswer() {
    String ndjson =
        "{\"reference\":\"a\",\"siren\":\""
            + healthy
            + "\"}\n"
            + "{\"reference\":\"b\",\"company\":{\"country\":\"FR\",\"id\":\""
            + medium
            + "\"}}\n";
    String id = accepted(submit("/api/v1/batches", ndjson, "application/x-ndjson"));
    assertThat(waitFinished(id).getString("status")).isEqualTo("completed");

    List<JsonObject> lines = ndjson(id);
    JsonObject live =
        new JsonObject(gateway.get("/api/v1/companies/FR/" + healthy + "/score").body());
    assertThat(lines.get(0).getJsonObject("result")).isEqualTo(live);
    JsonObject liveMedium =
        new JsonObject(gateway.get("/api/v1/companies/FR/" + medium + "/score").body());
    assertThat(lines.get(1).getJsonObject("result")).isEqualTo(liveMedium);
  }

  @Test
  void decisionModeDecidesAsTheRealTimeApiAndJournalsEachDecision() {
    String body =
        new JsonObject()
            .put("mode", "decision")
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("reference", "order-1")
                            .put("siren", healthy)
                            .put("amount", 50_000)
                            .put("payment_term", 60))
                    .add(
                        new JsonObject()
                            .put("reference", "order-2")
                            .put("siren", medium)
                            .put("amount", 0)
                            .put("payment_term", 30)))
            .encode();
    String id = accepted(submit("/api/v1/batches", body, "application/json"));
    assertThat(waitFinished(id).getString("status")).isEqualTo("completed");

    List<JsonObject> lines = ndjson(id);
    JsonObject decided = lines.get(0).getJsonObject("result");
    JsonObject live =
        new JsonObject(
            gateway
                .post(
                    "/api/v1/scoring",
                    "{\"siren\":\"" + healthy + "\",\"amount\":50000,\"payment_term\":60}")
                .body());
    for (String field :
        List.of(
            "score",
            "pd",
            "risk_level",
            "recommendation",
            "max_amount",
            "max_payment_term",
            "reasons",
            "company",
            "model_version",
            "policy_version")) {
      assertThat(decided.getValue(field)).as(field).isEqualTo(live.getValue(field));
    }
    String decisionId = decided.getString("decision_id");
    assertThat(decisionId).isNotEqualTo(live.getString("decision_id"));
    assertThat(gateway.get("/api/v1/decisions/" + decisionId).statusCode()).isEqualTo(200);
    assertThat(lines.get(1).getString("status")).isEqualTo("error");
    assertThat(
            lines
                .get(1)
                .getJsonObject("error")
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("field"))
        .isEqualTo("amount");
  }

  @Test
  void aPortfolioIsScoredMemberByMemberWithTheirReferencesAndOnlyByItsTenant() {
    String portfolio = java.util.UUID.randomUUID().toString();
    TestPostgres.execute(
        "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at) VALUES ('"
            + portfolio
            + "', '"
            + gateway.tenantId()
            + "', 'Buyers', now(), now())",
        "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure,"
            + " payment_terms_days, added_at, updated_at) SELECT '"
            + portfolio
            + "', id, 'buyer-' || national_id, 25000, 45, now(), now() FROM companies WHERE"
            + " country = 'FR' AND national_id IN ('"
            + healthy
            + "', '"
            + medium
            + "')");
    String body = "{\"mode\":\"decision\",\"portfolio_id\":\"" + portfolio + "\"}";

    String id = accepted(submit("/api/v1/batches", body, "application/json"));
    assertThat(waitFinished(id).getJsonObject("counts").getInteger("succeeded")).isEqualTo(2);
    List<JsonObject> lines = ndjson(id);
    assertThat(lines)
        .extracting(l -> l.getString("reference"))
        .containsExactlyInAnyOrder("buyer-" + healthy, "buyer-" + medium);
    JsonObject requested = lines.get(0).getJsonObject("result").getJsonObject("requested");
    assertThat(requested.getValue("payment_term")).isEqualTo(45);

    String other =
        TestTenants.create(gateway.config(), "bp" + System.nanoTime(), "scoring", 100, 1000);
    HttpResponse<String> foreign =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/batches"))
                .header("X-API-Key", other)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(404);
  }

  @Test
  void aMalformedUploadIsRefusedWithItsFirstBadLinesAndLeavesNothing() {
    String before = gateway.get("/api/v1/batches?limit=1000").body();
    HttpResponse<String> csv =
        submit(
            "/api/v1/batches",
            "siren,reference\n" + healthy + ",a\n" + healthy + ",b,extra\n",
            "text/csv");
    assertThat(csv.statusCode()).as(csv.body()).isEqualTo(422);
    JsonObject problem = new JsonObject(csv.body());
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("line 3");

    HttpResponse<String> nd =
        submit(
            "/api/v1/batches",
            "{\"siren\":\"" + healthy + "\"}\n{not json\n[1]\n",
            "application/x-ndjson");
    assertThat(nd.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(nd.body()).getJsonArray("errors"))
        .extracting(e -> ((JsonObject) e).getString("field"))
        .containsExactly("line 2", "line 3");

    HttpResponse<String> header = submit("/api/v1/batches", "name\nAcme\n", "text/csv");
    assertThat(header.statusCode()).isEqualTo(422);
    HttpResponse<String> empty = submit("/api/v1/batches", "", "application/x-ndjson");
    assertThat(empty.statusCode()).isEqualTo(422);
    HttpResponse<String> xml = submit("/api/v1/batches", "<batch/>", "application/xml");
    assertThat(xml.statusCode()).isEqualTo(415);

    assertThat(gateway.get("/api/v1/batches?limit=1000").body()).isEqualTo(before);
    assertThat(
            count(
                "SELECT count(*) FROM batches WHERE status = 'validating' AND tenant_id = '"
                    + gateway.tenantId()
                    + "'"))
        .isZero();
  }

  @Test
  void theSameIdempotencyKeyAndBodyReturnTheSameBatch() {
    String csv = "siren\n" + healthy + "\n" + medium + "\n";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.uri("/api/v1/batches"))
            .header("X-API-Key", gateway.apiKey())
            .header("Content-Type", "text/csv")
            .header("Idempotency-Key", "batch-" + System.nanoTime());
    HttpResponse<String> first =
        gateway.send(request.copy().POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    HttpResponse<String> again =
        gateway.send(request.copy().POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    HttpResponse<String> other =
        gateway.send(
            request
                .copy()
                .POST(HttpRequest.BodyPublishers.ofString("siren\n" + healthy + "\n"))
                .build());

    String id = accepted(first);
    assertThat(accepted(again)).isEqualTo(id);
    assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
    assertThat(
            count(
                "SELECT count(*) FROM batches WHERE tenant_id = '"
                    + gateway.tenantId()
                    + "' AND status = 'validating'"))
        .isZero();
  }

  @Test
  void aBatchOverTheMonthlyQuotaIsRefusedUpFrontWithTheNumbers() {
    String tenant = "bq" + System.nanoTime();
    String key = TestTenants.create(gateway.config(), tenant, "scoring", 1000, 10);
    StringBuilder big = new StringBuilder("siren\n");
    for (int i = 0; i < 20; i++) {
      big.append(healthy).append('\n');
    }
    HttpResponse<String> refused = post(key, big.toString());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    String detail = new JsonObject(refused.body()).getString("detail");
    assertThat(detail).contains("20 lines").contains("10 calls").contains("1 used");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(count("SELECT count(*) FROM batches WHERE tenant_id = '" + tenant + "'")).isZero();

    // 5 valid lines and 1 invalid: 5 charged, on top of the 2 submit calls.
    HttpResponse<String> ok =
        post(
            key,
            "siren\n"
                + healthy
                + "\n"
                + healthy
                + "\n123456789\n"
                + healthy
                + "\n"
                + medium
                + "\n"
                + medium
                + "\n");
    accepted(ok);
    assertThat(new JsonObject(ok.body()).getLong("quota_charged")).isEqualTo(5);
    assertThat(ok.headers().firstValue("RateLimit"))
        .contains(
            "\"monthly\";r=3;t="
                + ok.headers().firstValue("RateLimit").orElseThrow().split(";t=")[1]);
    assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).contains("3");
  }

  private static HttpResponse<String> post(String key, String csv) {
    return gateway.send(
        HttpRequest.newBuilder(gateway.uri("/api/v1/batches"))
            .header("X-API-Key", key)
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(csv))
            .build());
  }

  @Test
  void anotherTenantsBatchIsNotFound() {
    String id = accepted(submit("/api/v1/batches", "siren\n" + healthy + "\n", "text/csv"));
    String other =
        TestTenants.create(gateway.config(), "bo" + System.nanoTime(), "scoring", 100, 1000);
    for (String path : List.of("/api/v1/batches/" + id, "/api/v1/batches/" + id + "/results")) {
      HttpResponse<String> r =
          gateway.send(
              HttpRequest.newBuilder(gateway.uri(path)).header("X-API-Key", other).GET().build());
      assertThat(r.statusCode()).isEqualTo(404);
    }
    HttpResponse<String> delete =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/batches/" + id))
                .header("X-API-Key", other)
                .DELETE()
                .build());
    assertThat(delete.statusCode()).isEqualTo(404);
    HttpResponse<String> list =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/batches"))
                .header("X-API-Key", other)
                .GET()
                .build());
    assertThat(new JsonObject(list.body()).getJsonArray("items")).isEmpty();
    assertThat(gateway.get("/api/v1/batches/not-a-uuid").statusCode()).isEqualTo(404);
  }

  @Test
  void completionTellsTheListenersInTheCompletingTransactionAndTheListShowsTheBatch() {
    String id =
        accepted(submit("/api/v1/batches", "siren\n" + healthy + "\n" + medium + "\n", "text/csv"));
    waitFinished(id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> COMPLETED.stream().anyMatch(s -> s.batchId().toString().equals(id)));
    BatchSummary summary =
        COMPLETED.stream().filter(s -> s.batchId().toString().equals(id)).findFirst().orElseThrow();
    assertThat(summary.status()).isEqualTo("completed");
    assertThat(summary.total()).isEqualTo(2);
    assertThat(summary.succeeded()).isEqualTo(2);
    assertThat(summary.tenantId()).isEqualTo(gateway.tenantId());
    assertThat(STATUS_SEEN_IN_TX).allMatch("completed"::equals);
    JsonArray listed =
        new JsonObject(gateway.get("/api/v1/batches?limit=1000").body()).getJsonArray("items");
    assertThat(listed).extracting(b -> ((JsonObject) b).getString("id")).contains(id);
  }

  @Test
  void resultsArePagedByKeysetAndDownloadedAsCsv() {
    StringBuilder csv = new StringBuilder("reference,country,id\n");
    for (int i = 1; i <= 10; i++) {
      csv.append("ref-")
          .append(i)
          .append(",FR,")
          .append(i % 2 == 0 ? healthy : medium)
          .append('\n');
    }
    String id = accepted(submit("/api/v1/batches", csv.toString(), "text/csv"));
    waitFinished(id);

    JsonObject page1 =
        new JsonObject(gateway.get("/api/v1/batches/" + id + "/results?limit=4").body());
    assertThat(page1.getJsonArray("items")).hasSize(4);
    JsonObject page2 = new JsonObject(gateway.get(page1.getString("next")).body());
    assertThat(page2.getJsonArray("items").getJsonObject(0).getInteger("line")).isEqualTo(5);

    HttpResponse<String> download =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/batches/" + id + "/results"))
                .header("X-API-Key", gateway.apiKey())
                .header("Accept", "text/csv")
                .GET()
                .build());
    assertThat(download.statusCode()).isEqualTo(200);
    String[] rows = download.body().split("\n");
    assertThat(rows).hasSize(11);
    assertThat(rows[0]).startsWith("line,reference,status,country,id,name,score");
    assertThat(rows[1]).startsWith("1,ref-1,ok,FR," + medium + ",Batch Medium SARL,");
    assertThat(rows[1].split(",", -1)).hasSize(16);
    assertThat(rows[10]).startsWith("10,ref-10,ok,FR," + healthy);
  }

  /**
   * Submits for a new tenant whose batches' first chunk is leased, as it is inserted, to an
   * instance that died (a trigger in the test database): no worker can take that chunk before its
   * lease expires on the test clock.
   */
  private static String submitWithDeadLease(String csv) {
    TestPostgres.execute(
        "CREATE OR REPLACE FUNCTION test_dead_lease() RETURNS trigger AS $$ BEGIN IF NEW.first_line"
            + " = 1 AND EXISTS (SELECT 1 FROM batches b WHERE b.id = NEW.batch_id AND b.tenant_id"
            + " LIKE 'held%') THEN NEW.lease_owner := 'dead'; NEW.lease_until := '"
            + CLOCK.instant().plusSeconds(30)
            + "'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS test_dead_lease ON batch_chunks",
        "CREATE TRIGGER test_dead_lease BEFORE INSERT ON batch_chunks FOR EACH ROW EXECUTE"
            + " FUNCTION test_dead_lease()");
    String tenant = "held" + System.nanoTime();
    heldKey = TestTenants.create(gateway.config(), tenant, "scoring", 1000, 1_000_000);
    return accepted(post(heldKey, csv));
  }

  private static String heldKey;

  @Test
  void cancelStopsABatchAndFinishedLinesKeepTheirResults() throws Exception {
    StringBuilder csv = new StringBuilder("siren\n");
    for (int i = 0; i < 12; i++) {
      csv.append(healthy).append('\n');
    }
    String id = submitWithDeadLease(csv.toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> count("SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'") == 8);
    HttpResponse<String> cancelled =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/batches/" + id))
                .header("X-API-Key", heldKey)
                .DELETE()
                .build());
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(cancelled.body()).getString("status")).isEqualTo("cancelled");
    CLOCK.advance(Duration.ofSeconds(31));
    // The expired chunk of a cancelled batch is not worked: a few idle polls later, still 8.
    Thread.sleep(500);
    assertThat(count("SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'"))
        .isEqualTo(8);
    JsonObject batch =
        new JsonObject(
            gateway
                .send(
                    HttpRequest.newBuilder(gateway.uri("/api/v1/batches/" + id))
                        .header("X-API-Key", heldKey)
                        .GET()
                        .build())
                .body());
    assertThat(batch.getString("status")).isEqualTo("cancelled");
    assertThat(batch.getJsonObject("counts").getInteger("done")).isEqualTo(8);
  }

  @Test
  void resultsArePurgedAfterTheirTime() throws Exception {
    String id = accepted(submit("/api/v1/batches", "siren\n" + healthy + "\n", "text/csv"));
    waitFinished(id);
    assertThat(gateway.get("/api/v1/batches/" + id + "/results").statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofHours(169));
    gateway.gateway().batches().purgeExpired().toCompletionStage().toCompletableFuture().get();
    assertThat(gateway.get("/api/v1/batches/" + id + "/results").statusCode()).isEqualTo(410);
    JsonObject batch = new JsonObject(gateway.get("/api/v1/batches/" + id).body());
    assertThat(batch.getString("status")).isEqualTo("completed");
    assertThat(batch.getString("results_purged_at")).isNotNull();
    assertThat(count("SELECT count(*) FROM batch_items WHERE batch_id = '" + id + "'")).isZero();
    assertThat(count("SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'")).isZero();
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTwoInstancesShareOneBatchExactlyOnce() throws Exception {
    StringBuilder csv = new StringBuilder("siren\n");
    for (int i = 0; i < 400; i++) {
      csv.append(i % 2 == 0 ? healthy : medium).append('\n');
    }
    try (TestGateway second =
        TestGateway.start(
            CLOCK, Map.of("SCOREGATE_BATCH_POLL_MS", "20", "SCOREGATE_BATCH_CHUNK_SIZE", "4"))) {
      String id = submitWithDeadLease(csv.toString());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  count("SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'") == 396);
      assertThat(
              count("SELECT count(*) FROM batches WHERE status = 'running' AND id = '" + id + "'"))
          .isEqualTo(1);
      CLOCK.advance(Duration.ofSeconds(31));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  count(
                          "SELECT count(*) FROM batches WHERE status = 'completed' AND id = '"
                              + id
                              + "'")
                      == 1);

      assertThat(count("SELECT count(*) FROM batch_results WHERE batch_id = '" + id + "'"))
          .isEqualTo(400);
      assertThat(
              count("SELECT count(DISTINCT line) FROM batch_results WHERE batch_id = '" + id + "'"))
          .isEqualTo(400);
      assertThat(count("SELECT sum(succeeded + failed) FROM batches WHERE id = '" + id + "'"))
          .isEqualTo(400);
      assertThat(
              count(
                  "SELECT count(DISTINCT done_by) FROM batch_chunks WHERE batch_id = '" + id + "'"))
          .isEqualTo(2);
      assertThat(
              count(
                  "SELECT count(*) FROM batch_chunks WHERE batch_id = '"
                      + id
                      + "' AND status = 'done'"))
          .isEqualTo(100);
    }
  }

  static long count(String sql) {
    try (Connection c =
            DriverManager.getConnection(
                TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
