package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the router agree: every route the gateway serves is in the document, and
 * every path and method of the document is served. The document is also served as it is in the jar,
 * and Swagger UI's page loads.
 */
class OpenApiContractIT {

  /** Served, but not API: the static files the pages load. */
  private static final Set<String> NOT_API = Set.of("GET /webjars/");

  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(new ManualClock(Instant.parse("2026-11-20T09:00:00Z")), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static Set<String> documented() throws Exception {
    JsonNode doc;
    try (var in =
        OpenApiContractIT.class.getClassLoader().getResourceAsStream(OpenApiRoutes.DOCUMENT)) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> out = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                    .contains(method)) {
                  out.add(method.toUpperCase() + " " + path.getKey());
                }
              });
    }
    return out;
  }

  private static Set<String> served() {
    return gateway.gateway().routes().stream()
        .filter(r -> !NOT_API.contains(r))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyServedRouteIsDocumented() throws Exception {
    Set<String> missing = new TreeSet<>(served());
    missing.removeAll(documented());
    assertThat(missing).as("routes served but not in openapi.yaml").isEmpty();
  }

  @Test
  void everyDocumentedRouteIsServed() throws Exception {
    Set<String> missing = new TreeSet<>(documented());
    missing.removeAll(served());
    assertThat(missing).as("paths in openapi.yaml that no route serves").isEmpty();
  }

  @Test
  void theDocumentAndSwaggerUiAreServed() throws Exception {
    HttpResponse<String> yaml =
        gateway.send(HttpRequest.newBuilder(gateway.uri("/openapi.yaml")).build());
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
    assertThat(yaml.body()).startsWith("openapi: 3.1.0");
    HttpResponse<String> docs = gateway.send(HttpRequest.newBuilder(gateway.uri("/docs/")).build());
    assertThat(docs.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.body()).contains("swagger-ui-bundle.js");
    HttpResponse<String> bundle =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js"))
                .build());
    assertThat(bundle.statusCode()).isEqualTo(200);
  }
}
