package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.scoregate.support.BareRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The failure handler on a bare router: what a client sees of each kind of failure. */
class ProblemHandlerTest {

  private static final HttpConfig HTTP = BareRouter.http(64);

  private BareRouter server;

  @BeforeEach
  void start() {
    server =
        BareRouter.serve(
            vertx ->
                ApiRouter.builder(vertx, HTTP)
                    .operations(ProblemHandlerTest::operations)
                    .api(ProblemHandlerTest::api)
                    .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static void operations(Router router) {
    router
        .get("/teapot")
        .handler(
            ctx -> {
              throw new ProblemException(
                  429,
                  "rate-limited",
                  "Too many requests",
                  "Retry in 7 s.",
                  Map.of("Retry-After", "7"),
                  "tenant t over its burst",
                  null);
            });
    router
        .get("/bug")
        .handler(
            ctx -> {
              throw new IllegalStateException("password=hunter2 in the connection string");
            });
  }

  private static void api(Router router) {
    router.get("/things/:id").handler(ctx -> ctx.end("thing"));
    router.delete("/things/:id").handler(ctx -> ctx.end());
    router.post("/things").handler(ctx -> ctx.end());
    router
        .get("/invalid")
        .handler(
            ctx -> {
              throw new ValidationException(
                  List.of(
                      new FieldError("siren", "checksum", "siren: the check digit is wrong."),
                      new FieldError("amount", "range", "amount must be above 0.")));
            });
    router
        .get("/down")
        .handler(
            ctx ->
                ctx.fail(
                    ProblemException.unavailable(
                        "Company data is unavailable; retry later.",
                        new IOException("connection to 10.0.0.7:5432 refused"))));
  }

  @Test
  void aProblemCarriesItsStatusTypeAndHeaders() {
    HttpResponse<Buffer> response = server.testRequest(HttpMethod.GET, "/teapot");
    JsonObject problem = assertProblem(response, 429, "/problems/rate-limited");
    assertThat(response.getHeader("Retry-After")).isEqualTo("7");
    assertThat(problem.getString("title")).isEqualTo("Too many requests");
    assertThat(problem.getString("detail")).isEqualTo("Retry in 7 s.");
    assertThat(problem.getString("instance")).isEqualTo("/teapot");
    assertThat(problem.getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
    assertThat(response.bodyAsString()).doesNotContain("tenant t over its burst");
  }

  @Test
  void aValidationProblemNamesEveryField() {
    JsonObject problem =
        assertProblem(
            server.testRequest(HttpMethod.GET, "/api/v1/invalid"),
            422,
            "/problems/validation-error");
    assertThat(problem.getJsonArray("errors").getList())
        .extracting(e -> ((Map<?, ?>) e).get("field"), e -> ((Map<?, ?>) e).get("code"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("siren", "checksum"),
            org.assertj.core.groups.Tuple.tuple("amount", "range"));
    assertThat(problem.getString("detail")).isEqualTo("2 fields are invalid: see errors.");
  }

  @Test
  void anUnexpectedFailureIsAGeneric500() {
    HttpResponse<Buffer> response = server.testRequest(HttpMethod.GET, "/bug");
    assertProblem(response, 500, "/problems/internal-error");
    assertThat(response.bodyAsString()).doesNotContain("hunter2", "IllegalState");
  }

  @Test
  void aDependencyFailureIsAGeneric503WithoutItsCause() {
    HttpResponse<Buffer> response = server.testRequest(HttpMethod.GET, "/api/v1/down");
    JsonObject problem = assertProblem(response, 503, "/problems/service-unavailable");
    assertThat(problem.getString("detail")).isEqualTo("Company data is unavailable; retry later.");
    assertThat(response.bodyAsString()).doesNotContain("10.0.0.7", "refused", "IOException");
  }

  @Test
  void aWrongMethodIs405AllowingThePathsRealMethods() {
    HttpResponse<Buffer> response = server.testRequest(HttpMethod.PUT, "/api/v1/things/42");
    assertProblem(response, 405, "/problems/method-not-allowed");
    assertThat(response.getHeader("Allow")).isEqualTo("DELETE, GET");

    HttpResponse<Buffer> collection = server.testRequest(HttpMethod.GET, "/api/v1/things");
    assertProblem(collection, 405, "/problems/method-not-allowed");
    assertThat(collection.getHeader("Allow")).isEqualTo("POST");
  }

  @Test
  void anUnknownPathIs404() {
    assertProblem(
        server.testRequest(HttpMethod.GET, "/api/v1/nothing"), 404, "/problems/not-found");
    assertProblem(server.testRequest(HttpMethod.GET, "/nothing"), 404, "/problems/not-found");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    HttpResponse<Buffer> response =
        server.testRequest(
            HttpMethod.POST,
            "/api/v1/things",
            Map.of("Content-Type", "application/json"),
            "{\"x\":\"" + "y".repeat(200) + "\"}");
    assertProblem(response, 413, "/problems/payload-too-large");
  }

  static JsonObject assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(ProblemHandler.CONTENT_TYPE);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo(type);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(response.bodyAsString()).doesNotContain("\tat ", "io.scoregate", "io.vertx");
    return body;
  }
}
