package io.scoregate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** What the fact benchmarks share: calls started at a constant arrival rate, and percentiles. */
final class OpenModel {

  /**
   * Starts {@code send(i)} for i in [0, total) at {@code rate} per second whatever the answers'
   * times (an open model), then waits for every one to complete.
   */
  static void atRate(int rate, int total, IntFunction<CompletableFuture<?>> send) {
    AtomicInteger next = new AtomicInteger();
    CompletableFuture<?>[] all = new CompletableFuture<?>[total];
    CompletableFuture<Void> sent = new CompletableFuture<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(
        () -> {
          int i = next.getAndIncrement();
          if (i >= total) {
            sent.complete(null);
            return;
          }
          all[i] = send.apply(i).exceptionally(e -> null);
        },
        0,
        1_000_000_000L / rate,
        TimeUnit.NANOSECONDS);
    sent.join();
    timer.shutdownNow();
    CompletableFuture.allOf(all).join();
  }

  /** One fact posted as JSON to {@code POST /api/v1/events}. */
  static CompletableFuture<HttpResponse<String>> postFact(
      HttpClient http, URI events, String key, String json) {
    return http.sendAsync(
        HttpRequest.newBuilder(events)
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The p-quantile of sorted nanoseconds, in milliseconds. */
  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private OpenModel() {}
}
