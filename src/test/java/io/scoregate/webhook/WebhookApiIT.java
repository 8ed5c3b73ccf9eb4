package io.scoregate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.scoregate.app.AppConfig;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/webhooks} on a running gateway: endpoints, secrets shown once, tenant isolation,
 * scope, validation, SSRF refusals, a test ping verified by the official library, attempts, replays
 * and statistics.
 */
class WebhookApiIT {

  private static final ManualClock CLOCK =
      new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private static TestGateway gateway;
  private static Vertx vertx;
  private static WebhookTestSupport.Receiver receiver;
  private static String key;
  private static String otherKey;
  private static String scoringOnlyKey;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    AppConfig config =
        WebhookTestSupport.config(
            Map.of("SCOREGATE_WEBHOOK_ALLOW_HTTP", "true", "SCOREGATE_WEBHOOK_POLL_MS", "25"));
    gateway = TestGateway.start(CLOCK, config);
    key = TestTenants.create(config, "wa" + System.nanoTime(), "scoring,webhooks", 1000, 1_000_000);
    otherKey =
        TestTenants.create(config, "wb" + System.nanoTime(), "scoring,webhooks", 1000, 1_000_000);
    scoringOnlyKey =
        TestTenants.create(config, "wc" + System.nanoTime(), "scoring", 1000, 1_000_000);
    vertx = Vertx.vertx();
    receiver = new WebhookTestSupport.Receiver(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
    WebhookTestSupport.await(vertx.close());
    gateway.close();
  }

  private static HttpResponse<String> call(String method, String path, String body, String apiKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gateway.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-API-Key", apiKey)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return gateway.send(b.build());
  }

  private static JsonObject create(String url) {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/webhooks",
            new JsonObject()
                .put("url", url)
                .put("event_types", new JsonArray().add("alert.created"))
                .put("description", "erp")
                .encode(),
            key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  @Test
  void anEndpointIsCreatedListedChangedAndDeletedAndItsSecretShownOnce() {
    JsonObject created = create(receiver.url("/crud/" + UUID.randomUUID()));
    String id = created.getString("id");
    assertThat(created.getString("secret")).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(created.getString("secret").substring(6)))
        .hasSizeGreaterThanOrEqualTo(24);
    assertThat(created.getBoolean("enabled")).isTrue();
    assertThat(created.getString("circuit")).isEqualTo("CLOSED");

    HttpResponse<String> read = call("GET", "/api/v1/webhooks/" + id, null, key);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).doesNotContain("whsec_").doesNotContain(created.getString("secret"));
    assertThat(call("GET", "/api/v1/webhooks", null, key).body())
        .contains(id)
        .doesNotContain("whsec_");
    // Stored encrypted: the secret is nowhere in the row.
    assertThat(
            TestPostgres.string(
                "SELECT encode(secret_enc, 'escape') FROM webhook_endpoints WHERE id = '"
                    + id
                    + "'"))
        .doesNotContain(created.getString("secret").substring(6, 20));

    HttpResponse<String> changed =
        call(
            "PATCH",
            "/api/v1/webhooks/" + id,
            "{\"enabled\":false,\"description\":\"paused\"}",
            key);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(changed.body()).getString("disabled_reason"))
        .isEqualTo("disabled by the owner");

    HttpResponse<String> rotated =
        call("POST", "/api/v1/webhooks/" + id + "/rotate-secret", null, key);
    assertThat(rotated.statusCode()).isEqualTo(200);
    JsonObject r = new JsonObject(rotated.body());
    assertThat(r.getString("secret"))
        .startsWith("whsec_")
        .isNotEqualTo(created.getString("secret"));
    assertThat(Instant.parse(r.getString("previous_secret_expires_at")))
        .isEqualTo(CLOCK.instant().plus(Duration.ofHours(24)));

    assertThat(call("DELETE", "/api/v1/webhooks/" + id, null, key).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/api/v1/webhooks/" + id, null, key).statusCode()).isEqualTo(404);
  }

  @Test
  void anotherTenantsEndpointIsNotFound() {
    String id = create(receiver.url("/iso/" + UUID.randomUUID())).getString("id");
    for (String[] c :
        new String[][] {
          {"GET", ""},
          {"PATCH", ""},
          {"DELETE", ""},
          {"POST", "/test"},
          {"POST", "/rotate-secret"},
          {"GET", "/attempts"},
          {"GET", "/stats"},
          {"POST", "/replay"}
        }) {
      HttpResponse<String> r =
          call(
              c[0],
              "/api/v1/webhooks/" + id + c[1],
              c[0].equals("GET") ? null : "{\"since\":\"2026-01-01T00:00:00Z\"}",
              otherKey);
      assertThat(r.statusCode()).as(c[0] + c[1]).isEqualTo(404);
    }
    assertThat(call("GET", "/api/v1/webhooks", null, otherKey).body()).doesNotContain(id);
    assertThat(call("GET", "/api/v1/webhooks/" + id, null, key).statusCode()).isEqualTo(200);
  }

  @Test
  void theWebhooksScopeIsRequired() {
    HttpResponse<String> r = call("GET", "/api/v1/webhooks", null, scoringOnlyKey);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("webhooks");
  }

  @Test
  void invalidFieldsAreNamedAndChangeNothing() {
    long before = TestPostgres.count("SELECT count(*) FROM webhook_endpoints");
    HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"ftp://x.example\",\"event_types\":[\"nope\"]}",
            key);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("\"field\":\"url\"").contains("\"field\":\"event_types\"");
    assertThat(TestPostgres.count("SELECT count(*) FROM webhook_endpoints")).isEqualTo(before);
  }

  @Test
  void addressesInsideTheNetworkAreRefusedUnlessAllowListed() {
    for (String url :
        new String[] {
          "http://169.254.169.254/latest/meta-data",
          "http://10.0.0.1/hook",
          "http://[::ffff:127.0.0.2]/hook",
          "http://[fd00:ec2::254]/hook",
          "http://127.0.0.2:9/hook",
          "http://localhost6.invalid/hook"
        }) {
      HttpResponse<String> r =
          call(
              "POST",
              "/api/v1/webhooks",
              new JsonObject()
                  .put("url", url)
                  .put("event_types", new JsonArray().add("ping"))
                  .encode(),
              key);
      assertThat(r.statusCode()).as(url).isEqualTo(422);
      assertThat(r.body()).as(url).contains("\"field\":\"url\"");
    }
  }

  @Test
  void aTestPingArrivesSignedAndShowsInAttemptsAndStats() throws Exception {
    String path = "/ping/" + UUID.randomUUID();
    JsonObject created = create(receiver.url(path));
    String id = created.getString("id");
    HttpResponse<String> test = call("POST", "/api/v1/webhooks/" + id + "/test", null, key);
    assertThat(test.statusCode()).isEqualTo(202);
    String messageId = new JsonObject(test.body()).getString("message_id");
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count(path) == 1);
    WebhookTestSupport.Received got = receiver.at(path).get(0);
    new Webhook(created.getString("secret")).verify(got.body(), got.headers());
    assertThat(got.header("webhook-id")).isEqualTo(messageId);
    assertThat(new JsonObject(got.body()).getString("type")).isEqualTo("ping");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("GET", "/api/v1/webhooks/" + id + "/attempts", null, key)
                    .body()
                    .contains("delivered"));
    JsonObject attempt =
        new JsonObject(call("GET", "/api/v1/webhooks/" + id + "/attempts", null, key).body())
            .getJsonArray("items")
            .getJsonObject(0);
    assertThat(attempt.getInteger("status_code")).isEqualTo(204);
    assertThat(attempt.getString("message_id")).isEqualTo(messageId);
    JsonObject stats =
        new JsonObject(call("GET", "/api/v1/webhooks/" + id + "/stats", null, key).body());
    assertThat(stats.getDouble("success_rate")).isEqualTo(1.0);
    assertThat(stats.getDouble("p99_latency_ms")).isNotNull();

    // Replay one: the same webhook-id again.
    assertThat(
            call("POST", "/api/v1/webhooks/" + id + "/messages/" + messageId + "/replay", null, key)
                .statusCode())
        .isEqualTo(204);
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count(path) == 2);
    assertThat(receiver.at(path).get(1).header("webhook-id")).isEqualTo(messageId);
    // Replay since a time.
    HttpResponse<String> since =
        call(
            "POST",
            "/api/v1/webhooks/" + id + "/replay",
            "{\"since\":\"" + CLOCK.instant().minusSeconds(60) + "\"}",
            key);
    assertThat(since.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(since.body()).getInteger("replayed")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count(path) == 3);
    assertThat(
            call("POST", "/api/v1/webhooks/" + id + "/replay", "{\"since\":\"yesterday\"}", key)
                .body())
        .contains("\"field\":\"since\"");
  }

  @Test
  void theMetricsShowDeliveriesAndTheQueue() {
    HttpResponse<String> metrics =
        gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET().build());
    assertThat(metrics.body())
        .contains("scoregate_webhook_queue_depth")
        .contains("scoregate_webhook_oldest_undelivered_seconds");
  }
}
