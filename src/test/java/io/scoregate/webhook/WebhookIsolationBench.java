package io.scoregate.webhook;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoregate.app.AppConfig;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, not a test: does a dead endpoint with a backlog delay a healthy one? Runs A/B rounds
 * alternated in one window: A sends {@code --healthy} messages at {@code --rate}/s to a healthy
 * receiver alone; B first queues {@code --dead} messages to an endpoint that accepts connections
 * and never answers (each attempt waits for the full timeout), then sends the same healthy stream.
 * Prints p50/p99/max of "enqueued (committed) -> received" for the healthy endpoint per round.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) \
 *   -Dscoregate.test.pg.url=postgresql://... io.scoregate.webhook.WebhookIsolationBench \
 *   --rounds 2 --healthy 2000 --rate 100 --dead 10000
 * </pre>
 */
public final class WebhookIsolationBench {

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].substring(2), args[i + 1]);
    }
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
    int healthy = Integer.parseInt(o.getOrDefault("healthy", "2000"));
    int rate = Integer.parseInt(o.getOrDefault("rate", "100"));
    int dead = Integer.parseInt(o.getOrDefault("dead", "10000"));

    TestPostgres.ensureSchema();
    AppConfig config = WebhookTestSupport.config(Map.of("SCOREGATE_WEBHOOK_ALLOW_HTTP", "true"));
    Vertx vertx = Vertx.vertx();
    Pool pool = TestPostgres.pool(vertx);
    Map<String, Long> received = new ConcurrentHashMap<>();
    HttpServer ok =
        WebhookTestSupport.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      received.putIfAbsent(req.getHeader("webhook-id"), System.nanoTime());
                      req.response().setStatusCode(204).end();
                    })
                .listen(0, "127.0.0.1"));
    HttpServer hang =
        WebhookTestSupport.await(
            vertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1"));
    String tenant = WebhookTestSupport.tenant(config);
    Vertx dispatcherVertx = Vertx.vertx();
    WebhookTestSupport.await(
        dispatcherVertx.deployVerticle(
            new WebhookDispatcherVerticle(
                config.webhook(),
                TestPostgres.pool(dispatcherVertx),
                Clock.systemUTC(),
                new SimpleMeterRegistry())));
    System.out.printf(
        "config: pollMs=%d maxInFlight=%d perEndpoint=%d timeoutMs=%d%n",
        config.webhook().pollMs(),
        config.webhook().maxInFlight(),
        config.webhook().maxInFlightPerEndpoint(),
        config.webhook().timeoutMs());
    for (int round = 1; round <= rounds; round++) {
      for (boolean withDead : new boolean[] {false, true}) {
        Instant now = Instant.now();
        WebhookTestSupport.Registered good =
            WebhookTestSupport.endpoint(
                pool, config.webhook(), tenant, "http://127.0.0.1:" + ok.actualPort() + "/", now);
        WebhookTestSupport.Registered bad = null;
        if (withDead) {
          bad =
              WebhookTestSupport.endpoint(
                  pool,
                  config.webhook(),
                  tenant,
                  "http://127.0.0.1:" + hang.actualPort() + "/",
                  now);
          List<OutboxMessage.New> backlog = new ArrayList<>();
          for (int i = 0; i < dead; i++) {
            backlog.add(
                new OutboxMessage.New(
                    tenant,
                    OutboxMessage.WEBHOOK,
                    bad.endpoint().id(),
                    "ping",
                    "{\"n\":" + i + "}"));
          }
          WebhookOutboxBench.enqueue(pool, backlog);
        }
        Map<String, Long> sent = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        CountDownLatch committed = new CountDownLatch(healthy);
        for (int i = 0; i < healthy; i++) {
          long due = start + i * interval;
          while (System.nanoTime() < due) {
            Thread.onSpinWait();
          }
          OutboxMessage.New m =
              new OutboxMessage.New(
                  tenant, OutboxMessage.WEBHOOK, good.endpoint().id(), "ping", "{\"i\":" + i + "}");
          pool.withTransaction(tx -> OutboxRepository.enqueueOne(tx, m, Instant.now()))
              .onSuccess(
                  id -> {
                    sent.put(id, System.nanoTime());
                    committed.countDown();
                  });
        }
        committed.await(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline
            && !sent.keySet().stream().allMatch(received::containsKey)) {
          Thread.sleep(50);
        }
        long[] latencies =
            sent.entrySet().stream()
                .filter(e -> received.containsKey(e.getKey()))
                .mapToLong(e -> received.get(e.getKey()) - e.getValue())
                .sorted()
                .toArray();
        String deadState = "";
        if (bad != null) {
          deadState =
              String.format(
                  ", dead endpoint: %d attempts made, %d still pending",
                  TestPostgres.count(
                      "SELECT count(*) FROM webhook_attempts WHERE endpoint_id = '"
                          + bad.endpoint().id()
                          + "'"),
                  TestPostgres.count(
                      "SELECT count(*) FROM webhook_messages WHERE status = 'pending' AND endpoint_id = '"
                          + bad.endpoint().id()
                          + "'"));
        }
        System.out.printf(
            "round %d %-22s healthy: %d/%d received, p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
            round,
            withDead ? "B (+" + dead + " to dead)" : "A (healthy alone)",
            latencies.length,
            healthy,
            ms(latencies, 0.50),
            ms(latencies, 0.99),
            latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
            deadState);
        // The next round starts clean: the dead endpoint's backlog goes with it.
        TestPostgres.execute("DELETE FROM webhook_endpoints WHERE tenant_id = '" + tenant + "'");
        Thread.sleep(2000);
      }
    }
    dispatcherVertx.close();
    vertx.close();
    System.exit(0);
  }

  private static double ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** Bulk enqueue in chunks of one transaction each. */
  static final class WebhookOutboxBench {
    static void enqueue(Pool pool, List<OutboxMessage.New> messages) {
      for (int from = 0; from < messages.size(); from += 1000) {
        List<OutboxMessage.New> chunk =
            messages.subList(from, Math.min(messages.size(), from + 1000));
        WebhookTestSupport.await(
            pool.withTransaction(tx -> OutboxRepository.enqueue(tx, chunk, Instant.now())));
      }
    }
  }
}
