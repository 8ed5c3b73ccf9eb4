package io.scoregate.support;

import io.scoregate.app.AppConfig;
import io.scoregate.app.ConfigLoader;
import io.scoregate.app.Gateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway on a free port, configured from config/application.yaml with the test database and
 * the given overrides (environment-variable names), driven by plain HTTP.
 */
public final class TestGateway implements AutoCloseable {

  private final Gateway gateway;
  private final String apiKey;
  private final String tenantId;
  private final HttpClient concurrent =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private AppConfig config;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final int port;

  private TestGateway(Gateway gateway, int port, String tenantId, String apiKey) {
    this.gateway = gateway;
    this.port = port;
    this.tenantId = tenantId;
    this.apiKey = apiKey;
  }

  public static TestGateway start(ManualClock clock, Map<String, String> overrides) {
    return start(clock, config(overrides), gateway -> {});
  }

  /** The same, with {@code before} called on the gateway before it starts (to add listeners). */
  public static TestGateway start(
      ManualClock clock,
      Map<String, String> overrides,
      java.util.function.Consumer<Gateway> before) {
    return start(clock, config(overrides), before);
  }

  /** A gateway on a configuration the test built itself (e.g. lists no variable can set). */
  public static TestGateway start(ManualClock clock, AppConfig config) {
    return start(clock, config, gateway -> {});
  }

  private static TestGateway start(
      ManualClock clock, AppConfig config, java.util.function.Consumer<Gateway> before) {
    Gateway gateway = new Gateway(config, clock, clock);
    before.accept(gateway);
    try {
      gateway.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      gateway.stop();
      throw new IllegalStateException("gateway did not start", e);
    }
    String tenant = "t" + System.nanoTime();
    String key = TestTenants.create(config, tenant, "scoring", 1_000_000, 1_000_000);
    TestGateway started = new TestGateway(gateway, config.http().port(), tenant, key);
    started.config = config;
    return started;
  }

  public AppConfig config() {
    return config;
  }

  public static AppConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("SCOREGATE_PG_HOST", TestPostgres.host());
    env.put("SCOREGATE_PG_PORT", Integer.toString(TestPostgres.port()));
    env.put("SCOREGATE_PG_DATABASE", TestPostgres.database());
    env.put("SCOREGATE_PG_USER", TestPostgres.user());
    env.put("SCOREGATE_PG_PASSWORD", TestPostgres.password());
    env.put("SCOREGATE_HTTP_PORT", Integer.toString(freePort()));
    env.put("SCOREGATE_HTTP_INSTANCES", "2");
    env.put("SCOREGATE_HTTP_HOST", "127.0.0.1");
    env.put("SCOREGATE_INSTANCE_ID", "test-" + System.nanoTime());
    // A cold test JVM can take longer than the production Redis timeout for its first calls;
    // tests of the Redis timeout itself set their own.
    env.put("SCOREGATE_REDIS_TIMEOUT_MS", "2000");
    // Scheduled re-scoring rounds would re-score every test's watched companies in the
    // background; the tests of rounds tick them by hand.
    env.put("SCOREGATE_MONITORING_ROUNDS_ENABLED", "false");
    env.putAll(overrides);
    return ConfigLoader.load(Path.of("config/application.yaml"), env);
  }

  public Gateway gateway() {
    return gateway;
  }

  public HttpResponse<String> post(String path, String body) {
    return post(path, body, "application/json");
  }

  public String tenantId() {
    return tenantId;
  }

  /** The API key of this gateway's test tenant, sent with every request unless said otherwise. */
  public String apiKey() {
    return apiKey;
  }

  public HttpResponse<String> post(String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-API-Key", apiKey)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  /**
   * A decision sent without waiting, on its own HTTP/1.1 connection pool (so that many can be in
   * flight at once), with this gateway's key.
   */
  public CompletableFuture<HttpResponse<String>> decideAsync(String siren) {
    return concurrent.sendAsync(
        HttpRequest.newBuilder(uri("/api/v1/scoring"))
            .header("X-API-Key", apiKey)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-API-Key", apiKey)
            .GET()
            .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws Exception {
    gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
