package io.scoregate.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The public API's OpenAPI 3.1 contract at {@code /openapi.yaml}, and Swagger UI over it at {@code
 * /docs/} (from its WebJar, served under {@code /webjars/} by the dashboard's routes).
 */
public final class OpenApiRoutes {

  public static final String DOCUMENT = "openapi/openapi.yaml";

  private final Buffer document;

  public OpenApiRoutes() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException("no " + DOCUMENT + " in the jar");
      }
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void mount(Router router) {
    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(document));
    router.route("/docs/*").handler(StaticHandler.create("api-docs").setCachingEnabled(false));
  }
}
