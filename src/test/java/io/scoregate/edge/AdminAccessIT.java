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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may administer what (OWASP API1 broken object-level and API5 broken function-level
 * authorization): every admin path, called by a tenant's own admin key on another tenant, by a
 * partner's token claiming more than its tenant has, by a token naming a tenant it is not bound to,
 * and by the platform.
 */
class AdminAccessIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));

  @TempDir static Path dir;
  private static TestGateway gateway;
  private static LocalTokenIssuer issuer;
  private static String platformKey;
  private static String victim;
  private static String victimKey;
  private static String victimKeyId;
  private static String partner;
  private static String partnerAdminKey;
  private static String siren;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Admin Access SAS");
    issuer = LocalTokenIssuer.open(dir);
    gateway =
        TestGateway.start(
            CLOCK,
            Map.of(
                "SCOREGATE_EDGE_JWT_ISSUERS_0_ENABLED",
                "true",
                "SCOREGATE_EDGE_JWT_ISSUERS_0_ISSUER",
                LocalTokenIssuer.ISSUER,
                "SCOREGATE_EDGE_JWT_ISSUERS_0_AUDIENCE",
                "scoregate",
                "SCOREGATE_EDGE_JWT_ISSUERS_0_JWKS_PATH",
                issuer.jwksPath().toString()));
    platformKey = TestTenants.platform(gateway.config(), "plat" + System.nanoTime());
    victim = "victim" + System.nanoTime();
    victimKey = TestTenants.create(gateway.config(), victim, "scoring", 1000, 100_000);
    victimKeyId = victimKey.substring(0, victimKey.indexOf('.'));
    partner = "partner" + System.nanoTime();
    partnerAdminKey = TestTenants.create(gateway.config(), partner, "scoring,admin", 1000, 100_000);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> call(
      String method, String path, String header, String credential, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    request.header(header, credential);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return gateway.send(request.build());
  }

  private static HttpResponse<String> withKey(String method, String path, String key, String body) {
    return call(method, path, "X-API-Key", key, body);
  }

  private static HttpResponse<String> withToken(
      String method, String path, String token, String body) {
    return call(method, path, "Authorization", "Bearer " + token, body);
  }

  private static String token(String clientId, String scopes) throws Exception {
    return issuer.issue(
        clientId, Set.of(scopes.split(" ")), "scoregate", Duration.ofMinutes(5), CLOCK.instant());
  }

  private static String tenantBody(String id) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"New\",\"rate_per_second\":10,\"burst\":10,\"monthly_quota\":100}";
  }

  private static void victimKeyStillWorks() {
    HttpResponse<String> r =
        withKey(
            "POST",
            "/api/v1/scoring",
            victimKey,
            "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aTenantsAdminKeySeesNoOtherTenantOnAnyPath() {
    String base = "/admin/v1/tenants/" + victim;
    assertThat(withKey("GET", base, partnerAdminKey, null).statusCode()).isEqualTo(404);
    assertThat(withKey("GET", base + "/keys", partnerAdminKey, null).statusCode()).isEqualTo(404);
    assertThat(withKey("POST", base + "/keys", partnerAdminKey, null).statusCode()).isEqualTo(404);
    assertThat(
            withKey("POST", base + "/keys/" + victimKeyId + "/rotate", partnerAdminKey, null)
                .statusCode())
        .isEqualTo(404);
    assertThat(withKey("DELETE", base + "/keys/" + victimKeyId, partnerAdminKey, null).statusCode())
        .isEqualTo(404);
    assertThat(withKey("GET", base + "/issuers", partnerAdminKey, null).statusCode())
        .isEqualTo(404);
    String binding = "{\"issuer\":\"" + LocalTokenIssuer.ISSUER + "\",\"client_id\":\"stolen\"}";
    assertThat(withKey("POST", base + "/issuers", partnerAdminKey, binding).statusCode())
        .isEqualTo(404);
    // Nothing changed: the victim's only key still works, and it has no new key.
    CLOCK.advance(Duration.ofSeconds(6));
    victimKeyStillWorks();
    assertThat(
            TestPostgres.string("SELECT count(*) FROM api_keys WHERE tenant_id = '" + victim + "'"))
        .isEqualTo("1");
    assertThat(
            TestPostgres.string(
                "SELECT count(*) FROM tenant_issuers WHERE tenant_id = '" + victim + "'"))
        .isEqualTo("0");
  }

  @Test
  void aTenantsAdminKeyManagesItsOwnKeysButNothingOfThePlatform() {
    String own = "/admin/v1/tenants/" + partner;
    assertThat(withKey("GET", own, partnerAdminKey, null).statusCode()).isEqualTo(200);
    HttpResponse<String> issued = withKey("POST", own + "/keys", partnerAdminKey, null);
    assertThat(issued.statusCode()).isEqualTo(201);
    String newId = new JsonObject(issued.body()).getString("id");
    assertThat(withKey("GET", own + "/keys", partnerAdminKey, null).body()).contains(newId);
    assertThat(withKey("DELETE", own + "/keys/" + newId, partnerAdminKey, null).statusCode())
        .isEqualTo(204);
    // Functions of the platform: 403, and nothing is created.
    String id = "made" + System.nanoTime();
    HttpResponse<String> create =
        withKey("POST", "/admin/v1/tenants", partnerAdminKey, tenantBody(id));
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(create.body()).getString("type"))
        .isEqualTo("/problems/platform-role-required");
    assertThat(TestPostgres.string("SELECT count(*) FROM tenants WHERE id = '" + id + "'"))
        .isEqualTo("0");
    String binding = "{\"issuer\":\"" + LocalTokenIssuer.ISSUER + "\",\"client_id\":\"x\"}";
    assertThat(withKey("POST", own + "/issuers", partnerAdminKey, binding).statusCode())
        .isEqualTo(403);
    assertThat(
            withKey(
                    "DELETE",
                    own + "/issuers?issuer=" + LocalTokenIssuer.ISSUER + "&client_id=x",
                    partnerAdminKey,
                    null)
                .statusCode())
        .isEqualTo(403);
    for (String[] route :
        new String[][] {
          {"GET", "/admin/v1/models"},
          {"GET", "/admin/v1/models/changes"},
          {"POST", "/admin/v1/models/rollback"},
          {"GET", "/admin/v1/models/any/report"},
          {"GET", "/admin/v1/models/any/shadow-report"},
          {"POST", "/admin/v1/models/any/shadow"},
          {"POST", "/admin/v1/models/any/promote"},
          {"POST", "/admin/v1/models/any/retire"}
        }) {
      assertThat(withKey(route[0], route[1], partnerAdminKey, null).statusCode())
          .as(route[0] + " " + route[1])
          .isEqualTo(403);
    }
    // A tenant cannot give itself the platform role as a scope.
    HttpResponse<String> scoped =
        withKey(
            "POST",
            "/admin/v1/tenants",
            platformKey,
            "{\"id\":\"s"
                + System.nanoTime()
                + "\",\"name\":\"S\",\"rate_per_second\":1,\"burst\":1,\"monthly_quota\":1,"
                + "\"scopes\":[\"platform\"]}");
    assertThat(scoped.statusCode()).isEqualTo(422);
  }

  @Test
  void aPartnersTokenGetsNoMoreThanItsTenantHas() throws Exception {
    // The reported escalation: a tenant with the scoring scope only, a token claiming admin too.
    String scoringOnly = "so" + System.nanoTime();
    TestTenants.create(gateway.config(), scoringOnly, "scoring", 1000, 100_000);
    TestTenants.bind(scoringOnly, LocalTokenIssuer.ISSUER, scoringOnly);
    String token = token(scoringOnly, "scoring admin platform");
    assertThat(withToken("GET", "/admin/v1/tenants/" + victim, token, null).statusCode())
        .isEqualTo(403);
    assertThat(withToken("POST", "/admin/v1/tenants/" + victim + "/keys", token, null).statusCode())
        .isEqualTo(403);
    assertThat(withToken("GET", "/admin/v1/tenants/" + scoringOnly, token, null).statusCode())
        .isEqualTo(403);
    // and its scoring scope still works
    assertThat(
            withToken(
                    "POST",
                    "/api/v1/scoring",
                    token,
                    "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTokenNeverCarriesThePlatformRole() throws Exception {
    String platform = "pt" + System.nanoTime();
    TestTenants.platform(gateway.config(), platform);
    TestTenants.bind(platform, LocalTokenIssuer.ISSUER, platform);
    String token = token(platform, "admin platform");
    assertThat(
            withToken("POST", "/admin/v1/tenants", token, tenantBody("t" + System.nanoTime()))
                .statusCode())
        .isEqualTo(403);
    assertThat(withToken("GET", "/admin/v1/tenants/" + victim, token, null).statusCode())
        .isEqualTo(404);
    assertThat(withToken("GET", "/admin/v1/models", token, null).statusCode()).isEqualTo(403);
  }

  @Test
  void aTokenSpeaksOnlyForTheTenantItsClientIdIsBoundTo() throws Exception {
    // A client id equal to a tenant's id is nothing without a binding.
    assertThat(
            withToken("GET", "/admin/v1/tenants/" + partner, token(partner, "admin"), null)
                .statusCode())
        .isEqualTo(401);
    // Bound: the client "erp-7" speaks for the partner, and only for it.
    TestTenants.bind(partner, LocalTokenIssuer.ISSUER, "erp-7");
    String token = token("erp-7", "scoring admin");
    assertThat(withToken("GET", "/admin/v1/tenants/" + partner, token, null).statusCode())
        .isEqualTo(200);
    assertThat(withToken("GET", "/admin/v1/tenants/" + victim, token, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void thePlatformAdministersEveryTenantAndBindsIssuers() {
    String id = "plt" + System.nanoTime();
    assertThat(withKey("POST", "/admin/v1/tenants", platformKey, tenantBody(id)).statusCode())
        .isEqualTo(201);
    assertThat(withKey("GET", "/admin/v1/tenants/" + victim, platformKey, null).statusCode())
        .isEqualTo(200);
    String base = "/admin/v1/tenants/" + id + "/issuers";
    String binding =
        "{\"issuer\":\"" + LocalTokenIssuer.ISSUER + "\",\"client_id\":\"c-" + id + "\"}";
    assertThat(withKey("POST", base, platformKey, binding).statusCode()).isEqualTo(201);
    assertThat(withKey("POST", base, platformKey, binding).statusCode()).isEqualTo(201);
    assertThat(withKey("GET", base, platformKey, null).body()).contains("c-" + id);
    // The same client id cannot speak for a second tenant.
    HttpResponse<String> taken =
        withKey("POST", "/admin/v1/tenants/" + victim + "/issuers", platformKey, binding);
    assertThat(taken.statusCode()).isEqualTo(409);
    HttpResponse<String> untrusted =
        withKey(
            "POST", base, platformKey, "{\"issuer\":\"https://evil.example\",\"client_id\":\"c\"}");
    assertThat(untrusted.statusCode()).isEqualTo(422);
    assertThat(untrusted.body()).contains("\"field\":\"issuer\"");
    String query = "?issuer=" + LocalTokenIssuer.ISSUER + "&client_id=c-" + id;
    assertThat(withKey("DELETE", base + query, platformKey, null).statusCode()).isEqualTo(204);
    assertThat(withKey("DELETE", base + query, platformKey, null).statusCode()).isEqualTo(404);
  }
}
