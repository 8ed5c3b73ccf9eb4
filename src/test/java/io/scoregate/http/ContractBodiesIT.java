package io.scoregate.http;

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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each route family whose JSON body is checked against the OpenAPI contract, on a real gateway: a
 * body the contract refuses is a 422 problem naming the field, and nothing is stored or changed.
 */
class ContractBodiesIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-20T09:00:00Z"));

  private static TestGateway gateway;
  private static String tenant;
  private static String key;
  private static String platformKey;
  private static String portfolio;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(CLOCK, Map.of());
    tenant = "contract" + System.nanoTime();
    key =
        TestTenants.create(
            gateway.config(), tenant, "scoring,portfolios,webhooks,admin", 1000, 1_000_000);
    platformKey = TestTenants.platform(gateway.config(), "contractplat" + System.nanoTime());
    HttpResponse<String> created = call("POST", "/api/v1/portfolios", "{\"name\":\"Book\"}", key);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    portfolio = new JsonObject(created.body()).getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> call(
      String method, String path, String body, String credential) {
    return gateway.send(
        HttpRequest.newBuilder(gateway.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-API-Key", credential)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** The 422 problem of a body the contract refuses; returns the first field it names. */
  private static JsonObject refused(HttpResponse<String> r, String field, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).endsWith("/problems/validation-error");
    JsonObject first = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(first.getString("field")).isEqualTo(field);
    assertThat(first.getString("code")).isEqualTo(code);
    return first;
  }

  private static long count(String sql) {
    return TestPostgres.count(sql);
  }

  @Test
  void portfolios() {
    long before = count("SELECT count(*) FROM portfolios WHERE tenant_id = '" + tenant + "'");
    refused(call("POST", "/api/v1/portfolios", "{\"name\":[\"Book\"]}", key), "name", "type");
    refused(
        call("PATCH", "/api/v1/portfolios/" + portfolio, "{\"name\":\"\"}", key),
        "name",
        "minLength");
    assertThat(count("SELECT count(*) FROM portfolios WHERE tenant_id = '" + tenant + "'"))
        .isEqualTo(before);
    assertThat(TestPostgres.string("SELECT name FROM portfolios WHERE id = '" + portfolio + "'"))
        .isEqualTo("Book");
  }

  @Test
  void membersByJson() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Contract Member SAS");
    refused(
        call(
            "PUT",
            "/api/v1/portfolios/" + portfolio + "/members/M-1",
            "{\"siren\":\"" + siren + "\",\"exposure\":{\"amount\":1000}}",
            key),
        "exposure",
        "type");
    refused(
        call(
            "PUT",
            "/api/v1/portfolios/" + portfolio + "/members/M-1",
            "{\"company\":\"FR-" + siren + "\",\"exposure\":1000}",
            key),
        "company",
        "type");
    assertThat(
            count(
                "SELECT count(*) FROM portfolio_members WHERE portfolio_id = '" + portfolio + "'"))
        .isZero();
  }

  @Test
  void alertRules() {
    String rules =
        "SELECT string_agg(rule || enabled || version, ',' ORDER BY rule) FROM alert_rules"
            + " WHERE portfolio_id = '"
            + portfolio
            + "'";
    String before = TestPostgres.string(rules);
    refused(
        call(
            "PATCH",
            "/api/v1/portfolios/" + portfolio + "/rules/score_below",
            "{\"enabled\":\"yes\"}",
            key),
        "enabled",
        "type");
    refused(
        call(
            "PATCH",
            "/api/v1/portfolios/" + portfolio + "/rules/score_below",
            "{\"min_exposure\":-5}",
            key),
        "min_exposure",
        "minimum");
    assertThat(TestPostgres.string(rules)).isEqualTo(before);
  }

  @Test
  void alertAcknowledgeAndResolve() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Contract Alert SAS");
    UUID alert = UUID.randomUUID();
    TestPostgres.execute(
        "INSERT INTO alerts (id, tenant_id, portfolio_id, rule, company_id, reference, exposure,"
            + " score_before, score_after, level_before, level_after, cause, created_at) VALUES ('"
            + alert
            + "', '"
            + tenant
            + "', '"
            + portfolio
            + "', 'score_below', (SELECT id FROM companies WHERE country = 'FR' AND national_id = '"
            + siren
            + "'), 'A-1', 1000.00, 61, 22, 'medium', 'very_high', 'scheduled',"
            + " '2026-11-18T00:00:00Z')");
    String base = "/api/v1/portfolios/" + portfolio + "/alerts/" + alert;
    refused(call("POST", base + "/acknowledge", "{\"comment\":42}", key), "comment", "type");
    refused(
        call("POST", base + "/resolve", "{\"comment\":\"" + "x".repeat(2001) + "\"}", key),
        "comment",
        "maxLength");
    assertThat(TestPostgres.string("SELECT status FROM alerts WHERE id = '" + alert + "'"))
        .isEqualTo("open");
  }

  @Test
  void webhookEndpoints() {
    String endpoints = "SELECT count(*) FROM webhook_endpoints WHERE tenant_id = '" + tenant + "'";
    long before = count(endpoints);
    JsonObject error =
        refused(
            call(
                "POST",
                "/api/v1/webhooks",
                "{\"url\":\"https://erp.example.com/hooks\",\"event_types\":\"ping\"}",
                key),
            "event_types",
            "type");
    assertThat(error.getString("detail")).startsWith("/event_types:");
    refused(
        call(
            "POST",
            "/api/v1/email-digests",
            "{\"portfolio_id\":\"" + portfolio + "\",\"recipients\":[],\"period\":\"daily\"}",
            key),
        "recipients",
        "minItems");
    assertThat(count(endpoints)).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM email_digests WHERE tenant_id = '" + tenant + "'"))
        .isZero();
  }

  @Test
  void policies() {
    String versions = "SELECT count(*) FROM policy_versions WHERE tenant_id = '" + tenant + "'";
    long before = count(versions);
    refused(
        call(
            "POST", "/admin/v1/tenants/" + tenant + "/policies", "{\"rules\":{\"id\":\"r\"}}", key),
        "rules",
        "type");
    refused(
        call("POST", "/admin/v1/tenants/" + tenant + "/policies", "{\"description\":\"x\"}", key),
        "rules",
        "required");
    assertThat(count(versions)).isEqualTo(before);
  }

  @Test
  void admin() {
    String id = "contractnew" + System.nanoTime();
    refused(
        call("POST", "/admin/v1/tenants", "{\"id\":\"" + id + "\",\"name\":5}", platformKey),
        "name",
        "type");
    refused(
        call(
            "POST",
            "/admin/v1/tenants",
            "{\"id\":\"" + id + "\",\"name\":\"N\",\"burst\":\"ten\"}",
            platformKey),
        "burst",
        "type");
    assertThat(count("SELECT count(*) FROM tenants WHERE id = '" + id + "'")).isZero();
    String keys = "SELECT count(*) FROM api_keys WHERE tenant_id = '" + tenant + "'";
    long before = count(keys);
    refused(
        call("POST", "/admin/v1/tenants/" + tenant + "/keys", "{\"label\":7}", key),
        "label",
        "type");
    assertThat(count(keys)).isEqualTo(before);
  }

  @Test
  void batchesByJson() {
    String batches = "SELECT count(*) FROM batches WHERE tenant_id = '" + tenant + "'";
    long before = count(batches);
    refused(call("POST", "/api/v1/batches", "{\"items\":\"all\"}", key), "items", "type");
    refused(
        call("POST", "/api/v1/batches", "{\"mode\":\"guess\",\"items\":[]}", key), "mode", "enum");
    assertThat(count(batches)).isEqualTo(before);
  }

  @Test
  void malformedJsonIsA400AndStoresNothing() {
    long before = count("SELECT count(*) FROM portfolios WHERE tenant_id = '" + tenant + "'");
    HttpResponse<String> r = call("POST", "/api/v1/portfolios", "{\"name\":", key);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("type")).endsWith("/problems/malformed-request");
    assertThat(count("SELECT count(*) FROM portfolios WHERE tenant_id = '" + tenant + "'"))
        .isEqualTo(before);
  }
}
