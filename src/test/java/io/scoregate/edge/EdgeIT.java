package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Who may call: API keys, scopes, IP allow-lists, the admin API and tenant isolation. */
class EdgeIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static TestGateway gateway;
  private static String siren;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Edge Test SAS");
    gateway = TestGateway.start(CLOCK, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> call(String method, String path, String key, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return gateway.send(request.build());
  }

  private static HttpResponse<String> decide(String key) {
    return call(
        "POST",
        "/api/v1/scoring",
        key,
        "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
  }

  private static String newTenant(String scopes) {
    return TestTenants.create(gateway.config(), "e" + System.nanoTime(), scopes, 100, 10_000);
  }

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("ApiKey realm").contains("Bearer realm"));
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(new JsonObject(response.body()).getString("type"))
        .isEqualTo("/problems/unauthorized");
  }

  @Test
  void withoutAValidKeyTheAnswerIs401() {
    assertUnauthorized(decide(null));
    assertUnauthorized(decide(""));
    assertUnauthorized(decide("sgk_aaaaaaaaaaaa.not-a-real-secret"));
    // The right id with a wrong secret fails the same way.
    String key = gateway.apiKey();
    assertUnauthorized(decide(key.substring(0, key.length() - 2) + "xx"));
    assertUnauthorized(
        call("GET", "/api/v1/companies/FR/" + siren + "/score", "x".repeat(500), null));
  }

  @Test
  void theAccessLogNamesTheTenantAndTheKeyIdButNeverTheKey() {
    Logger access = (Logger) LoggerFactory.getLogger("scoregate.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      String key = gateway.apiKey();
      assertThat(decide(key).statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> lines.list.stream().anyMatch(e -> "200".equals(value(e, "status"))));
      ILoggingEvent line =
          lines.list.stream().filter(e -> "200".equals(value(e, "status"))).findFirst().get();
      assertThat(value(line, "tenant")).isEqualTo(gateway.tenantId());
      assertThat(key).startsWith(value(line, "key_id") + ".");
      assertThat(value(line, "path")).isEqualTo("/api/v1/scoring");
      assertThat(value(line, "client_ip")).isEqualTo("127.0.0.1");
      assertThat(line.getKeyValuePairs().toString())
          .doesNotContain(key.substring(key.indexOf('.') + 1));
    } finally {
      access.detachAppender(lines);
    }
  }

  private static String value(ILoggingEvent event, String key) {
    return event.getKeyValuePairs() == null
        ? null
        : event.getKeyValuePairs().stream()
            .filter(p -> p.key.equals(key))
            .map(p -> String.valueOf(p.value))
            .findFirst()
            .orElse(null);
  }

  @Test
  void aValidKeyIsAccepted() {
    assertThat(decide(gateway.apiKey()).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyWithoutTheScopeIs403() {
    String adminOnly = newTenant("admin");
    HttpResponse<String> response = decide(adminOnly);
    assertThat(response.statusCode()).isEqualTo(403);
    // An authenticated answer: the quota headers are there, and the refused call was not counted.
    assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
    assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains("100");
    assertThat(decide(adminOnly).headers().firstValue("X-RateLimit-Remaining")).contains("100");
    assertThat(new JsonObject(response.body()).getString("type"))
        .isEqualTo("/problems/insufficient-scope");
    // and the admin API needs the admin scope
    HttpResponse<String> admin = call("GET", "/admin/v1/tenants/x", gateway.apiKey(), null);
    assertThat(admin.statusCode()).isEqualTo(403);
  }

  @Test
  void anAddressOutsideTheAllowListIs403() {
    String outside =
        TestTenants.create(
            gateway.config(),
            "ip" + System.nanoTime(),
            "scoring",
            100,
            1000,
            "{10.0.0.0/8,2001:db8::/32}");
    HttpResponse<String> response = decide(outside);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(response.body()).getString("type"))
        .isEqualTo("/problems/address-not-allowed");
    String inside =
        TestTenants.create(
            gateway.config(), "ip" + System.nanoTime(), "scoring", 100, 1000, "{127.0.0.0/8}");
    assertThat(decide(inside).statusCode()).isEqualTo(200);
  }

  @Test
  void theAdminApiCreatesTenantsAndIssuesRotatesAndRevokesKeys() {
    String admin = TestTenants.platform(gateway.config(), "p" + System.nanoTime());
    String id = "acme" + System.nanoTime();
    String tenant =
        "{\"id\":\""
            + id
            + "\",\"name\":\"Acme\",\"rate_per_second\":10,\"burst\":20,"
            + "\"monthly_quota\":1000,\"ip_allow_list\":[\"127.0.0.1/32\"]}";
    HttpResponse<String> created = call("POST", "/admin/v1/tenants", admin, tenant);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getJsonArray("scopes")).containsExactly("scoring");
    assertThat(call("POST", "/admin/v1/tenants", admin, tenant).statusCode()).isEqualTo(409);
    HttpResponse<String> invalid =
        call("POST", "/admin/v1/tenants", admin, "{\"id\":\"Bad Id\",\"rate_per_second\":0}");
    assertThat(invalid.statusCode()).isEqualTo(422);

    JsonObject issued =
        new JsonObject(call("POST", "/admin/v1/tenants/" + id + "/keys", admin, null).body());
    String key = issued.getString("key");
    assertThat(key).startsWith(issued.getString("id") + ".");
    assertThat(decide(key).statusCode()).isEqualTo(200);

    String listed = call("GET", "/admin/v1/tenants/" + id + "/keys", admin, null).body();
    assertThat(listed).contains(issued.getString("id")).doesNotContain(key);

    HttpResponse<String> rotated =
        call(
            "POST",
            "/admin/v1/tenants/" + id + "/keys/" + issued.getString("id") + "/rotate",
            admin,
            null);
    assertThat(rotated.statusCode()).isEqualTo(201);
    String newKey = new JsonObject(rotated.body()).getString("key");
    // Revocation reaches every instance within the key cache time.
    CLOCK.advance(Duration.ofSeconds(6));
    assertUnauthorized(decide(key));
    assertThat(decide(newKey).statusCode()).isEqualTo(200);

    String newId = new JsonObject(rotated.body()).getString("id");
    assertThat(
            call("DELETE", "/admin/v1/tenants/" + id + "/keys/" + newId, admin, null).statusCode())
        .isEqualTo(204);
    CLOCK.advance(Duration.ofSeconds(6));
    assertUnauthorized(decide(newKey));
    assertThat(
            call("DELETE", "/admin/v1/tenants/" + id + "/keys/" + newId, admin, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void rotatingAKeyRevokesTheOldOneHereAtOnceAndElsewhereWithinTheKeyCacheTime() throws Exception {
    String platform = TestTenants.platform(gateway.config(), "p" + System.nanoTime());
    String id = "rot" + System.nanoTime();
    String old = TestTenants.create(gateway.config(), id, "scoring", 100, 10_000);
    ManualClock elsewhereClock = new ManualClock(CLOCK.instant());
    try (TestGateway elsewhere = TestGateway.start(elsewhereClock, Map.of())) {
      // Both instances have the key in their cache.
      assertThat(decide(old).statusCode()).isEqualTo(200);
      assertThat(decideOn(elsewhere, old).statusCode()).isEqualTo(200);
      String keyId = old.substring(0, old.indexOf('.'));
      HttpResponse<String> rotated =
          call("POST", "/admin/v1/tenants/" + id + "/keys/" + keyId + "/rotate", platform, null);
      assertThat(rotated.statusCode()).isEqualTo(201);
      // Here: at once, without waiting for the cache.
      assertUnauthorized(decide(old));
      // Elsewhere: within edge.keyCacheSeconds (5 s here).
      long cacheSeconds = elsewhere.config().edge().keyCacheSeconds();
      elsewhereClock.advance(Duration.ofSeconds(cacheSeconds + 1));
      assertThat(decideOn(elsewhere, old).statusCode()).isEqualTo(401);
      String fresh = new JsonObject(rotated.body()).getString("key");
      assertThat(decideOn(elsewhere, fresh).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> decideOn(TestGateway on, String key) {
    return on.send(
        HttpRequest.newBuilder(on.uri("/api/v1/scoring"))
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}"))
            .build());
  }

  @Test
  void aTenantReadsOnlyItsOwnDecisions() {
    String other = newTenant("scoring");
    String mine = new JsonObject(decide(gateway.apiKey()).body()).getString("decision_id");
    assertThat(call("GET", "/api/v1/decisions/" + mine, gateway.apiKey(), null).statusCode())
        .isEqualTo(200);
    assertThat(call("GET", "/api/v1/decisions/" + mine, other, null).statusCode()).isEqualTo(404);
    assertThat(
            TestPostgres.string(
                "SELECT tenant_id FROM decision_journal WHERE decision_id = '" + mine + "'"))
        .isEqualTo(gateway.tenantId());
  }

  @Test
  void withTheEdgeSwitchedOffCallsGoThroughAsAnonymous() throws Exception {
    try (TestGateway open =
        TestGateway.start(
            new ManualClock(CLOCK.instant()), Map.of("SCOREGATE_EDGE_ENABLED", "false"))) {
      HttpResponse<String> response =
          open.send(
              HttpRequest.newBuilder(open.uri("/api/v1/scoring"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}"))
                  .build());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
      String id = new JsonObject(response.body()).getString("decision_id");
      assertThat(
              TestPostgres.string(
                  "SELECT tenant_id FROM decision_journal WHERE decision_id = '" + id + "'"))
          .isEqualTo("anonymous");
    }
  }
}
