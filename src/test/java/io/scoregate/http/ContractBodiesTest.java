package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.problem.ValidationException;
import io.scoregate.support.BareRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document loads in vertx-openapi, and bodies are checked against it on a bare
 * router: a body of the wrong shape is a 422 problem naming each field before the route runs;
 * malformed JSON is a 400; an empty body or one of another media type reaches the route untouched.
 */
class ContractBodiesTest {

  private BareRouter server;

  @BeforeEach
  void start() {
    server =
        BareRouter.serve(
            vertx -> {
              ContractBodies contract = ContractBodies.served();
              await(contract.start(vertx));
              return ApiRouter.builder(vertx, BareRouter.http(64 * 1024))
                  .api(router -> api(router, contract))
                  .build();
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static void api(Router router, ContractBodies contract) {
    router
        .post("/portfolios")
        .handler(contract.body("createPortfolio"))
        .handler(ctx -> ctx.response().setStatusCode(201).end("route"));
    router
        .post("/webhooks")
        .handler(contract.body("createWebhook"))
        .handler(ctx -> ctx.response().setStatusCode(201).end("route"));
    router
        .post("/portfolios/:id/alerts/:alert/acknowledge")
        .handler(contract.body("acknowledgeAlert"))
        .handler(ctx -> ctx.response().end("route"));
  }

  @Test
  void theServedDocumentPassesTheOpenApi31MetaSchema() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject document = ContractBodies.servedDocument();
      assertThat(OpenAPIVersion.fromContract(document)).isEqualTo(OpenAPIVersion.V3_1);
      OutputUnit result =
          await(
              OpenAPIVersion.V3_1
                  .getRepository(vertx, "app://")
                  .compose(repo -> OpenAPIVersion.V3_1.validateContract(vertx, repo, document)));
      assertThat(result.getValid()).as(String.valueOf(result.getErrors())).isTrue();
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void vertxOpenApiLoadsTheServedRequests() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject document = ContractBodies.servedDocument();
      OpenAPIContract contract =
          await(OpenAPIContract.from(vertx, ContractBodies.requests(document)));
      // Every operation of the served document is there, with the same request bodies in JSON.
      int operations = 0;
      for (String path : document.getJsonObject("paths").fieldNames()) {
        JsonObject methods = document.getJsonObject("paths").getJsonObject(path);
        for (String method : methods.fieldNames()) {
          if (!(methods.getValue(method) instanceof JsonObject op)) {
            continue; // the path's parameters
          }
          String id = op.getString("operationId");
          assertThat(contract.operation(id)).as(id).isNotNull();
          operations++;
        }
      }
      assertThat(contract.operations()).hasSize(operations);
      assertThat(contract.operation("createWebhook").getRequestBody().getContent())
          .containsOnlyKeys("application/json");
    } finally {
      await(vertx.close());
    }
  }

  private HttpResponse<Buffer> post(String path, String body, String type) {
    return server.testRequest(HttpMethod.POST, path, Map.of("Content-Type", type), body);
  }

  @Test
  void aBodyOfTheWrongShapeIsAProblemNamingEachField() {
    HttpResponse<Buffer> r =
        post(
            "/api/v1/webhooks",
            "{\"url\":\"https://erp.example.com/hooks\",\"event_types\":[\"nope\"],"
                + "\"description\":7}",
            "application/json");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(422);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).endsWith("/problems/validation-error");
    assertThat(
            problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("event_types", "description");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("detail")).startsWith("/");
    assertThat(problem.encode()).doesNotContain("Exception").doesNotContain("at io.");
  }

  @Test
  void aMissingOrMistypedFieldIsNamedWithTheKeywordItBreaks() {
    JsonObject missing =
        post("/api/v1/portfolios", "{\"label\":\"Book\"}", "application/json").bodyAsJsonObject();
    assertThat(missing.getInteger("status")).isEqualTo(422);
    assertThat(missing.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("name");
    assertThat(missing.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("required");
    JsonObject mistyped =
        post("/api/v1/portfolios/x/alerts/y/acknowledge", "{\"comment\":[1]}", "application/json")
            .bodyAsJsonObject();
    assertThat(mistyped.getInteger("status")).isEqualTo(422);
    assertThat(mistyped.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("comment");
    assertThat(mistyped.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("type");
  }

  @Test
  void aBodyOfTheDocumentedShapeReachesTheRoute() {
    HttpResponse<Buffer> r =
        post(
            "/api/v1/webhooks",
            "{\"url\":\"https://erp.example.com/hooks\",\"event_types\":[\"alert.created\"]}",
            "application/json");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.bodyAsString()).isEqualTo("route");
  }

  @Test
  void malformedJsonIsA400() {
    HttpResponse<Buffer> r = post("/api/v1/webhooks", "{\"url\":", "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void emptyBodiesAndOtherMediaTypesReachTheRoute() {
    assertThat(post("/api/v1/webhooks", "", "application/json").statusCode()).isEqualTo(201);
    assertThat(post("/api/v1/webhooks", "url,x", "text/csv").statusCode()).isEqualTo(201);
    assertThat(
            post("/api/v1/portfolios/x/alerts/y/acknowledge", "", "application/json")
                .bodyAsString())
        .isEqualTo("route");
  }

  @Test
  void aStreamedBodyIsCheckedByName() {
    Vertx vertx = Vertx.vertx();
    try {
      ContractBodies contract = ContractBodies.served();
      await(contract.start(vertx));
      contract.check("submitBatch", new JsonObject().put("items", List.of(Map.of("siren", "1"))));
      assertThatThrownBy(() -> contract.check("submitBatch", new JsonObject().put("mode", "guess")))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> {
                assertThat(e.errors()).hasSize(1);
                assertThat(e.errors().get(0).field()).isEqualTo("mode");
                assertThat(e.errors().get(0).code()).isEqualTo("enum");
              });
      assertThatThrownBy(() -> contract.body("noSuchOperation"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> contract.body("getPortfolio"))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void pointersBecomeFieldNames() {
    assertThat(ContractBodies.field("")).isEqualTo("body");
    assertThat(ContractBodies.field("/company/country")).isEqualTo("company.country");
    assertThat(ContractBodies.field("/items/3/amount")).isEqualTo("items[3].amount");
    assertThat(ContractBodies.field("/event_types/0")).isEqualTo("event_types");
    assertThat(ContractBodies.field("/items/3")).isEqualTo("items");
    assertThat(ContractBodies.field("/a~1b/c~0d")).isEqualTo("a/b.c~d");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
