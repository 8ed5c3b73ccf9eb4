package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error a client can cause gets an RFC 9457 problem, with no trace of the internals. */
class ProblemsIT {

  private static TestGateway gateway;
  private static String known;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    known = TestCompanies.newSiren();
    TestCompanies.insertHealthy(known, "Problems Test SAS");
    gateway =
        TestGateway.start(
            new ManualClock(Instant.parse("2026-06-15T10:00:00Z")),
            Map.of("SCOREGATE_HTTP_BODY_LIMIT_BYTES", "1024"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> response = gateway.post("/api/v1/scoring", "{\"siren\": ");
    assertProblem(response, 400, "/problems/malformed-request");
  }

  @Test
  void aJsonArrayIs400() {
    assertProblem(gateway.post("/api/v1/scoring", "[1,2]"), 400, "/problems/malformed-request");
  }

  @Test
  void emptyBodyIs400() {
    assertProblem(gateway.post("/api/v1/scoring", ""), 400, "/problems/malformed-request");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"siren\":\"" + "1".repeat(2000) + "\"}";
    assertProblem(gateway.post("/api/v1/scoring", big), 413, "/problems/payload-too-large");
  }

  @Test
  void wrongMediaTypeIs415() {
    HttpResponse<String> response =
        gateway.post("/api/v1/scoring", "siren=000000018", "application/x-www-form-urlencoded");
    assertProblem(response, 415, "/problems/unsupported-media-type");
  }

  @Test
  void unknownPathIs404() {
    assertProblem(gateway.get("/api/v1/nothing-here"), 404, "/problems/not-found");
  }

  @Test
  void wrongMethodIs405() {
    assertProblem(gateway.get("/api/v1/scoring"), 405, "/problems/method-not-allowed");
  }

  @Test
  void badChecksumIs422NamingTheField() {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring", "{\"siren\":\"123456789\",\"amount\":50000,\"payment_term\":60}");
    JsonObject problem = assertProblem(response, 422, "/problems/validation-error");
    assertThat(problem.getJsonArray("errors")).hasSize(1);
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("siren");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("checksum");
  }

  @Test
  void everyInvalidFieldIsListed() {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring", "{\"siren\":732829320,\"amount\":-5,\"payment_term\":12.5}");
    JsonObject problem = assertProblem(response, 422, "/problems/validation-error");
    assertThat(
            problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("siren", "amount", "payment_term");
  }

  @Test
  void missingFieldsAre422() {
    JsonObject problem =
        assertProblem(gateway.post("/api/v1/scoring", "{}"), 422, "/problems/validation-error");
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("code")))
        .containsOnly("required");
  }

  @Test
  void otherCountriesAreValidatedToo() {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring",
            "{\"company\":{\"country\":\"BE\",\"id\":\"0403170702\"},\"amount\":1000,\"payment_term\":30}");
    JsonObject problem = assertProblem(response, 422, "/problems/validation-error");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("company.id");
  }

  @Test
  void validButUnknownCompanyIs404() {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring", "{\"siren\":\"000000083\",\"amount\":50000,\"payment_term\":60}");
    assertProblem(response, 404, "/problems/not-found");
  }

  @Test
  void unknownDecisionIs404() {
    assertProblem(
        gateway.get("/api/v1/decisions/0190f3a0-0000-7000-8000-000000000000"),
        404,
        "/problems/not-found");
    assertProblem(gateway.get("/api/v1/decisions/not-a-uuid"), 404, "/problems/not-found");
  }

  @Test
  void theRequestIdIsEchoedAndInTheProblem() {
    HttpRequest request =
        HttpRequest.newBuilder(gateway.uri("/api/v1/scoring"))
            .header("Content-Type", "application/json")
            .header("X-Request-Id", "partner-req-42")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    HttpResponse<String> response = gateway.send(request);
    assertThat(response.headers().firstValue("X-Request-Id")).contains("partner-req-42");
    assertThat(new JsonObject(response.body()).getString("request_id")).isEqualTo("partner-req-42");
  }

  static JsonObject assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("type")).isEqualTo(type);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("instance")).startsWith("/");
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "io.vertx", "io.scoregate");
    return body;
  }
}
