package io.scoregate.webhook;

import io.scoregate.app.AppConfig;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the webhook tests share: configurations that allow-list the loopback receivers (and only
 * them), a real HTTP receiver whose answer each test sets per path, and endpoints and messages
 * written as the service and the outbox write them.
 */
final class WebhookTestSupport {

  private WebhookTestSupport() {}

  /** The shipped webhook configuration with these overrides and the loopback allow-listed. */
  static AppConfig config(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(overrides);
    env.put("SCOREGATE_WEBHOOK_SSRF_ALLOW_LIST", "127.0.0.1/32,::1/128");
    return TestGateway.config(env);
  }

  static String tenant(AppConfig config) {
    String id = "wh" + System.nanoTime();
    TestTenants.create(config, id, "scoring,webhooks", 1000, 1_000_000);
    return id;
  }

  /**
   * Stops a Vert.x instance as a gateway stops: its verticles undeployed, then its pools closed.
   */
  static void stop(Vertx vertx) {
    for (String id : vertx.deploymentIDs()) {
      await(vertx.undeploy(id));
    }
    await(vertx.close());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An endpoint written as the service writes it; answers it with its plain secret. */
  record Registered(Endpoint endpoint, String secret) {}

  static Registered endpoint(
      Pool pool, WebhookConfig config, String tenantId, String url, Instant now) {
    SecretBox box = new SecretBox(config.secretKey());
    UUID id = UUID.randomUUID();
    String secret = box.newSecret();
    Endpoint e =
        new Endpoint(
            id,
            tenantId,
            url,
            "",
            List.of("alert.created", "ping"),
            null,
            "owner@example.com",
            true,
            null,
            box.encrypt(secret, id.toString()),
            null,
            null,
            null,
            now,
            now);
    return new Registered(await(new EndpointRepository(pool).insert(e)), secret);
  }

  /** Writes one ping-like message for the endpoint, due now; answers its id. */
  static String enqueue(Pool pool, Endpoint e, Instant now, String text) {
    String body = WebhookOutbox.body("ping", now, new JsonObject().put("text", text));
    return await(
        pool.withTransaction(
            tx ->
                OutboxRepository.enqueueOne(
                    tx,
                    new OutboxMessage.New(
                        e.tenantId(), OutboxMessage.WEBHOOK, e.id(), "ping", body),
                    now)));
  }

  /** One received request. */
  record Received(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  /**
   * A real HTTP receiver on loopback. Each path answers as {@link #answer} says (default 204); a
   * status of 0 never answers (a hanging endpoint).
   */
  static final class Receiver implements AutoCloseable {
    final Queue<Received> received = new ConcurrentLinkedQueue<>();
    final Map<String, Integer> status = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final HttpServer server;

    Receiver(Vertx vertx) {
      this.vertx = vertx;
      this.server =
          await(
              vertx
                  .createHttpServer()
                  .requestHandler(
                      req ->
                          req.body()
                              .onSuccess(
                                  body -> {
                                    Map<String, List<String>> h = new ConcurrentHashMap<>();
                                    req.headers()
                                        .forEach(
                                            entry ->
                                                h.computeIfAbsent(
                                                        entry
                                                            .getKey()
                                                            .toLowerCase(java.util.Locale.ROOT),
                                                        k -> new java.util.ArrayList<>())
                                                    .add(entry.getValue()));
                                    received.add(new Received(req.path(), h, body.toString()));
                                    int code = status.getOrDefault(req.path(), 204);
                                    if (code == 0) {
                                      return;
                                    }
                                    headers
                                        .getOrDefault(req.path(), Map.of())
                                        .forEach(req.response()::putHeader);
                                    req.response()
                                        .setStatusCode(code)
                                        .end("answer of " + req.path());
                                  }))
                  .listen(0, "127.0.0.1"));
    }

    void answer(String path, int code) {
      status.put(path, code);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    long count(String path) {
      return received.stream().filter(r -> r.path().equals(path)).count();
    }

    java.util.List<Received> at(String path) {
      return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
      await(server.close());
    }
  }

  static String status(String messageId) {
    return TestPostgres.string(
        "SELECT status FROM webhook_messages WHERE id = '" + messageId + "'");
  }

  static long attempts(String messageId) {
    return TestPostgres.count(
        "SELECT attempts FROM webhook_messages WHERE id = '" + messageId + "'");
  }
}
