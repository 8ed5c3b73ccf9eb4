package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /api/v1/scoring: replays, conflicts, expiry, restarts. */
class IdempotencyIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static TestGateway gateway;
  private static String siren;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Idempotent SAS");
    gateway = TestGateway.start(CLOCK, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> post(TestGateway g, String key, String body) {
    return g.send(
        HttpRequest.newBuilder(g.uri("/api/v1/scoring"))
            .header("Content-Type", "application/json")
            .header("X-API-Key", g.apiKey())
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static long journaled(String decisionId) {
    return TestPostgres.count(
        "SELECT count(*) FROM decision_journal WHERE decision_id = '" + decisionId + "'");
  }

  @Test
  void theSameKeyAndBodyReplayTheFirstAnswer() {
    String key = "order-" + System.nanoTime();
    HttpResponse<String> first =
        post(gateway, key, "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
    // Same request, other key order and spacing.
    HttpResponse<String> retry =
        post(
            gateway,
            key,
            "{ \"payment_term\": 30, \"amount\": 1000, \"siren\": \"" + siren + "\" }");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    String id = new JsonObject(first.body()).getString("decision_id");
    assertThat(new JsonObject(retry.body()).getString("decision_id")).isEqualTo(id);
    assertThat(new JsonObject(retry.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(journaled(id)).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    String key = "order-" + System.nanoTime();
    post(gateway, key, "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
    HttpResponse<String> other =
        post(gateway, key, "{\"siren\":\"" + siren + "\",\"amount\":2000,\"payment_term\":30}");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(
            new JsonObject(other.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("Idempotency-Key");
  }

  @Test
  void aKeyStillInFlightIs409() {
    String key = "order-" + System.nanoTime();
    String body = "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}";
    String hash = java.util.HexFormat.of().formatHex(IdempotencyService.hash(new JsonObject(body)));
    // As another instance leaves it while it is still deciding: claimed, no answer yet.
    TestPostgres.execute(
        "INSERT INTO idempotency_keys (tenant_id, key, request_hash, created_at, expires_at)"
            + " VALUES ('"
            + gateway.tenantId()
            + "', '"
            + key
            + "', '\\x"
            + hash
            + "',"
            + " '"
            + CLOCK.instant()
            + "', '"
            + CLOCK.instant().plus(Duration.ofHours(24))
            + "')");
    HttpResponse<String> response = post(gateway, key, body);
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(response.body()).getString("type"))
        .isEqualTo("/problems/idempotency-conflict");
  }

  @Test
  void afterTheTtlTheKeyStartsANewDecisionAndRecordsSurviveARestart() throws Exception {
    String key = "order-" + System.nanoTime();
    String body = "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}";
    String first = new JsonObject(post(gateway, key, body).body()).getString("decision_id");

    // Another gateway process (a restart, or another instance) replays it.
    try (TestGateway other = TestGateway.start(new ManualClock(CLOCK.instant()), Map.of())) {
      HttpResponse<String> replay =
          other.send(
              HttpRequest.newBuilder(other.uri("/api/v1/scoring"))
                  .header("Content-Type", "application/json")
                  .header("X-API-Key", gateway.apiKey())
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertThat(new JsonObject(replay.body()).getString("decision_id")).isEqualTo(first);
    }

    CLOCK.advance(Duration.ofHours(25));
    String later = new JsonObject(post(gateway, key, body).body()).getString("decision_id");
    assertThat(later).isNotEqualTo(first);
  }

  @Test
  void tenantsHaveTheirOwnKeys() throws Exception {
    String key = "shared-" + System.nanoTime();
    String body = "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}";
    try (TestGateway other = TestGateway.start(new ManualClock(CLOCK.instant()), Map.of())) {
      String a = new JsonObject(post(gateway, key, body).body()).getString("decision_id");
      String b = new JsonObject(post(other, key, body).body()).getString("decision_id");
      assertThat(a).isNotEqualTo(b);
    }
  }
}
