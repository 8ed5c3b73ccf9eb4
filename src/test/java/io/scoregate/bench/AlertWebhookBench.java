package io.scoregate.bench;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark, not a test: one gateway, a portfolio of watched companies with the payment incident
 * rule on, one webhook endpoint for {@code alert.created} on a loopback receiver. Payment incidents
 * are posted one per call at a constant arrival rate, each above the rule's minimums, so each fires
 * one alert and one delivery. Prints p50 / p99 / max of "fact sent -> webhook received" and of
 * "fact accepted (2xx read) -> webhook received", matched by the alert's cause event id. A fresh
 * JVM is slow for its first minute: {@code -Dscoregate.bench.warmupSeconds} and {@code
 * -Dscoregate.bench.warmupRate} (default 5 s at up to 50/s) set the warm-up.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   -Dscoregate.test.pg.url=postgresql://... io.scoregate.bench.AlertWebhookBench RATE SECONDS COMPANIES
 * </pre>
 */
public final class AlertWebhookBench {

  private static final AtomicLong REF = new AtomicLong(System.nanoTime());

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int companies = Integer.parseInt(args[2]);
    TestPostgres.ensureSchema();
    ManualClock clock = new ManualClock(Instant.now());
    Map<String, String> env =
        Map.of(
            "SCOREGATE_HTTP_ACCESS_LOG", "false",
            "SCOREGATE_WEBHOOK_ALLOW_HTTP", "true",
            "SCOREGATE_WEBHOOK_SSRF_ALLOW_LIST", "127.0.0.1/32");
    Vertx vertx = Vertx.vertx();
    Map<Long, Long> arrived = new ConcurrentHashMap<>();
    AtomicInteger deliveries = new AtomicInteger();
    HttpServer receiver =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              long at = System.nanoTime();
                              deliveries.incrementAndGet();
                              JsonObject alert =
                                  new JsonObject(body.toString())
                                      .getJsonObject("data")
                                      .getJsonObject("alert");
                              Long cause = alert == null ? null : alert.getLong("cause_event_id");
                              if (cause != null) {
                                arrived.putIfAbsent(cause, at);
                              }
                              req.response().setStatusCode(204).end();
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    try (TestGateway gw = TestGateway.start(clock, env)) {
      String key =
          TestTenants.create(
              gw.config(),
              "benchwh" + System.nanoTime(),
              "scoring,events:write,portfolios,webhooks",
              1_000_000,
              100_000_000);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String portfolio =
          call(http, gw, key, "POST", "/api/v1/portfolios", "{\"name\":\"Webhook bench\"}", 201)
              .getString("id");
      String[] sirens = new String[companies];
      for (int i = 0; i < companies; i++) {
        sirens[i] = TestCompanies.newSiren();
        TestCompanies.insertHealthy(sirens[i], "Watched " + i);
        call(
            http,
            gw,
            key,
            "PUT",
            "/api/v1/portfolios/" + portfolio + "/members/M" + i,
            "{\"siren\":\"" + sirens[i] + "\",\"exposure\":10000}",
            -1);
      }
      call(
          http,
          gw,
          key,
          "PATCH",
          "/api/v1/portfolios/" + portfolio + "/rules/payment_incident",
          "{\"params\":{\"min_amount\":1000,\"min_days_late\":1}}",
          200);
      call(
          http,
          gw,
          key,
          "POST",
          "/api/v1/webhooks",
          new JsonObject()
              .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/alerts")
              .put("event_types", new JsonArray().add("alert.created"))
              .put("description", "bench receiver")
              .encode(),
          201);
      run(
          http,
          gw,
          key,
          sirens,
          arrived,
          Integer.getInteger("scoregate.bench.warmupRate", Math.min(rate, 50)),
          Integer.getInteger("scoregate.bench.warmupSeconds", 5),
          "warm-up");
      run(http, gw, key, sirens, arrived, rate, seconds, "measured");
      System.out.printf("deliveries received in all: %d%n", deliveries.get());
    } finally {
      receiver.close();
      vertx.close();
    }
    System.exit(0);
  }

  private static void run(
      HttpClient http,
      TestGateway gw,
      String key,
      String[] sirens,
      Map<Long, Long> arrived,
      int rate,
      int seconds,
      String label)
      throws Exception {
    int total = rate * seconds;
    long[] sentAt = new long[total];
    long[] acceptedAt = new long[total];
    long[] eventId = new long[total];
    AtomicInteger failed = new AtomicInteger();
    OpenModel.atRate(
        rate,
        total,
        i -> {
          String body =
              "{\"siren\":\""
                  + sirens[i % sirens.length]
                  + "\",\"kind\":\"payment_incident\",\"external_ref\":\"w"
                  + REF.incrementAndGet()
                  + "\",\"amount\":9000,\"days_late\":45,\"occurred_on\":\"2026-06-01\"}";
          sentAt[i] = System.nanoTime();
          return OpenModel.postFact(http, gw.uri("/api/v1/events"), key, body)
              .thenAccept(
                  r -> {
                    acceptedAt[i] = System.nanoTime();
                    if (r.statusCode() != 201) {
                      failed.incrementAndGet();
                    } else {
                      eventId[i] = new JsonObject(r.body()).getLong("event_id");
                    }
                  })
              .exceptionally(
                  e -> {
                    failed.incrementAndGet();
                    return null;
                  });
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !allArrived(eventId, arrived)) {
      Thread.sleep(50);
    }
    long[] fromSent = new long[total];
    long[] fromAccepted = new long[total];
    int n = 0;
    int missing = 0;
    for (int i = 0; i < total; i++) {
      Long at = eventId[i] == 0 ? null : arrived.get(eventId[i]);
      if (at == null) {
        missing += eventId[i] == 0 ? 0 : 1;
        continue;
      }
      fromSent[n] = at - sentAt[i];
      fromAccepted[n] = at - acceptedAt[i];
      n++;
    }
    long[] s = java.util.Arrays.copyOf(fromSent, n);
    long[] a = java.util.Arrays.copyOf(fromAccepted, n);
    java.util.Arrays.sort(s);
    java.util.Arrays.sort(a);
    System.out.printf(
        "%s: %d facts/s for %d s (%d alerts expected): %d webhooks received, %d not received"
            + " within 30 s, %d facts failed; fact sent -> webhook received p50 %.1f ms, p99 %.1f"
            + " ms, max %.1f ms; fact accepted -> webhook received p50 %.1f ms, p99 %.1f ms%n",
        label,
        rate,
        seconds,
        total,
        n,
        missing,
        failed.get(),
        OpenModel.pct(s, 0.50),
        OpenModel.pct(s, 0.99),
        n == 0 ? 0 : s[n - 1] / 1e6,
        OpenModel.pct(a, 0.50),
        OpenModel.pct(a, 0.99));
  }

  private static boolean allArrived(long[] eventId, Map<Long, Long> arrived) {
    for (long id : eventId) {
      if (id != 0 && !arrived.containsKey(id)) {
        return false;
      }
    }
    return true;
  }

  private static JsonObject call(
      HttpClient http,
      TestGateway gw,
      String key,
      String method,
      String path,
      String json,
      int expected)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(gw.uri(path))
                .timeout(Duration.ofSeconds(60))
                .header("X-API-Key", key)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    boolean ok = expected < 0 ? r.statusCode() / 100 == 2 : r.statusCode() == expected;
    if (!ok) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  private AlertWebhookBench() {}
}
