package io.scoregate.bench;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark, not a test: two gateways on one database; facts are posted to the first at a
 * constant arrival rate, and for each one the second is read until it serves the new score. Prints
 * p50/p99 of "fact sent -> new score served by the other instance", then the NDJSON ingest rate.
 * {@code -Dscoregate.bench.warmupSeconds} and {@code -Dscoregate.bench.warmupRate} (default 5 s at
 * the rate) set the warm-up: a fresh JVM is slow for its first minute.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *   -Dscoregate.test.pg.url=postgresql://... io.scoregate.bench.FactsBench RATE SECONDS COMPANIES
 * </pre>
 */
public final class FactsBench {

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int companies = Integer.parseInt(args[2]);
    TestPostgres.ensureSchema();
    ManualClock clock = new ManualClock(Instant.now());
    Map<String, String> env =
        Map.of("SCOREGATE_ACCESS_LOG", "false", "SCOREGATE_HTTP_ACCESS_LOG", "false");
    try (TestGateway a = TestGateway.start(clock, env);
        TestGateway b = TestGateway.start(clock, env)) {
      String key =
          TestTenants.create(
              a.config(),
              "bench" + System.nanoTime(),
              "scoring,events:write",
              1_000_000,
              100_000_000);
      String[] sirens = new String[companies];
      for (int i = 0; i < companies; i++) {
        sirens[i] = TestCompanies.newSiren();
        TestCompanies.insertHealthy(sirens[i], "Bench " + i);
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String s : sirens) {
        get(http, b, s).join(); // each company's score cached on the reader
      }
      run(
          http,
          a,
          b,
          key,
          sirens,
          Integer.getInteger("scoregate.bench.warmupRate", rate),
          Integer.getInteger("scoregate.bench.warmupSeconds", 5),
          "warm-up");
      run(http, a, b, key, sirens, rate, seconds, "measured");
      ndjson(http, a, key, sirens);
    }
    System.exit(0);
  }

  /**
   * The first wait before the other instance is read again while it still serves the old score;
   * each wait doubles up to {@link #POLL_MAX_MS}, so that the readers do not become the load when
   * facts queue (a fixed 2 ms with hundreds of facts in flight was most of it).
   */
  private static final long POLL_MS = Long.getLong("scoregate.bench.pollMs", 5);

  private static final long POLL_MAX_MS = Long.getLong("scoregate.bench.pollMaxMs", 50);

  private static final AtomicLong REF = new AtomicLong(System.nanoTime());
  private static final boolean[] CEASED = new boolean[1_000_000];

  private static void run(
      HttpClient http,
      TestGateway a,
      TestGateway b,
      String key,
      String[] sirens,
      int rate,
      int seconds,
      String label)
      throws Exception {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    OpenModel.atRate(
        rate,
        rate * seconds,
        i -> {
          int c = i % sirens.length;
          boolean cease;
          synchronized (CEASED) {
            cease = !CEASED[c];
            CEASED[c] = cease;
          }
          String body =
              "{\"siren\":\""
                  + sirens[c]
                  + "\",\"kind\":\"status_changed\",\"external_ref\":\"b"
                  + REF.incrementAndGet()
                  + "\",\"status\":\""
                  + (cease ? "ceased" : "active")
                  + "\",\"occurred_on\":\"2026-06-01\"}";
          long t0 = System.nanoTime();
          return OpenModel.postFact(http, a.uri("/api/v1/events"), key, body)
              .thenCompose(
                  r -> {
                    accepted.add(System.nanoTime() - t0);
                    if (r.statusCode() != 201) {
                      failed.incrementAndGet();
                      return CompletableFuture.completedFuture(null);
                    }
                    JsonObject score = new JsonObject(r.body()).getJsonObject("score");
                    int after = score == null ? -1 : score.getInteger("after");
                    return until(http, b, sirens[c], after, t0 + 10_000_000_000L, POLL_MS)
                        .thenAccept(
                            ok -> {
                              if (ok) {
                                latencies.add(System.nanoTime() - t0);
                              } else {
                                failed.incrementAndGet();
                              }
                            });
                  })
              .exceptionally(
                  e -> {
                    failed.incrementAndGet();
                    return null;
                  });
        });
    long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] ok = accepted.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "%s: %d facts/s for %d s: %d seen on the other instance, %d failed;"
            + " fact sent -> answered p50 %.1f ms, p99 %.1f ms;"
            + " fact sent -> new score served by the other instance: p50 %.1f ms, p99 %.1f ms,"
            + " max %.1f ms%n",
        label,
        rate,
        seconds,
        l.length,
        failed.get(),
        OpenModel.pct(ok, 0.50),
        OpenModel.pct(ok, 0.99),
        OpenModel.pct(l, 0.50),
        OpenModel.pct(l, 0.99),
        l.length == 0 ? 0 : l[l.length - 1] / 1e6);
  }

  /** Reads the score on the other instance until it is {@code expected}; false after deadline. */
  private static CompletableFuture<Boolean> until(
      HttpClient http, TestGateway b, String siren, int expected, long deadline, long waitMs) {
    return get(http, b, siren)
        .thenCompose(
            score -> {
              if (score == expected) {
                return CompletableFuture.completedFuture(true);
              }
              if (System.nanoTime() > deadline) {
                return CompletableFuture.completedFuture(false);
              }
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS))
                  .thenCompose(
                      v ->
                          until(
                              http,
                              b,
                              siren,
                              expected,
                              deadline,
                              Math.min(POLL_MAX_MS, waitMs * 2)));
            });
  }

  private static CompletableFuture<Integer> get(HttpClient http, TestGateway b, String siren) {
    return http.sendAsync(
            HttpRequest.newBuilder(b.uri("/api/v1/companies/FR/" + siren + "/score"))
                .header("X-API-Key", b.apiKey())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              Integer s = new JsonObject(r.body()).getInteger("score");
              return s == null ? -1 : s;
            });
  }

  private static void ndjson(HttpClient http, TestGateway a, String key, String[] sirens)
      throws Exception {
    StringBuilder body = new StringBuilder();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      body.append("{\"siren\":\"")
          .append(sirens[i % sirens.length])
          .append("\",\"kind\":\"payment_incident\",\"external_ref\":\"n")
          .append(REF.incrementAndGet())
          .append("\",\"amount\":")
          .append(100 + i)
          .append(",\"days_late\":30,\"occurred_on\":\"2026-06-01\"}\n");
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(a.uri("/api/v1/events"))
                .header("X-API-Key", key)
                .header("Content-Type", "application/x-ndjson")
                .timeout(java.time.Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double s = (System.nanoTime() - t0) / 1e9;
    JsonObject answer = new JsonObject(r.body());
    System.out.printf(
        "NDJSON: %d events (%,d bytes) in one call over %d companies: status %d, %d accepted in"
            + " %.2f s = %.0f events/s%n",
        n,
        body.length(),
        sirens.length,
        r.statusCode(),
        answer.getInteger("accepted", -1),
        s,
        n / s);
  }

  private FactsBench() {}

  static {
    Arrays.fill(CEASED, false);
  }
}
