package io.scoregate.support;

import io.scoregate.http.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A router served on a free port with nothing behind it (no database, no Redis), for handler tests
 * in the style of vertx-web's own ({@code WebTestBase.testRequest}): build the router, send one
 * request, look at the answer.
 */
public final class BareRouter implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final WebClient client;

  private BareRouter(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
    this.client = WebClient.create(vertx);
  }

  /** An HTTP configuration for a test router: this body limit, a 5 s request timeout. */
  public static HttpConfig http(long bodyLimitBytes) {
    return new HttpConfig(
        "127.0.0.1", 0, 1, bodyLimitBytes, 5_000, 10_000, 60_000, 5, false, 2_000, 1_000, null);
  }

  /** Serves the router that {@code build} makes. */
  public static BareRouter serve(Function<Vertx, Router> build) {
    Vertx vertx = Vertx.vertx();
    Router router = build.apply(vertx);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    return new BareRouter(vertx, server);
  }

  public HttpResponse<Buffer> testRequest(HttpMethod method, String path) {
    return testRequest(method, path, Map.of(), null);
  }

  public HttpResponse<Buffer> testRequest(
      HttpMethod method, String path, Map<String, String> headers, String body) {
    HttpRequest<Buffer> request = client.request(method, server.actualPort(), "127.0.0.1", path);
    MultiMap h = request.headers();
    headers.forEach(h::set);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  @Override
  public void close() {
    client.close();
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
