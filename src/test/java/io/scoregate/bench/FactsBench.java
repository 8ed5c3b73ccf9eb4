package io.scoregate.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * A benchmark client, not a test: it posts facts to one gateway (A) at a constant arrival rate and
 * reads a sample of them back from another gateway (B) on the same database until B serves the new
 * score. Both gateways are processes of their own (scripts/bench-facts starts them); this JVM holds
 * only the client, so that its CPU and its file descriptors are its own.
 *
 * <p>Open model: call {@code i} is due at {@code start + i * batch / rate}, whatever the answers;
 * every latency counts from that due time, so a call that waited for a connection is late and its
 * wait is in its latency. Each call carries {@code batch} facts: one JSON event ({@code batch} 1)
 * or an NDJSON body of {@code batch} lines. Each fact is a {@code status_changed} that flips its
 * company between active and ceased, so that each one changes the score.
 *
 * <p>One fact in {@code sample} is tracked: it goes to a company of a reserved pool that has no
 * other fact in flight and whose score B has cached (read before the run), and B is read with a
 * back-off from {@code pollMs} to {@code pollMaxMs} until it serves the score the answer gave for
 * that fact, at most {@code deadlineMs} after the call was due. The other facts go round-robin to
 * the other companies.
 *
 * <pre>
 * java -cp target/scoregate.jar:target/test-classes \
 *   -Dscoregate.bench.a=http://127.0.0.1:18330 -Dscoregate.bench.b=http://127.0.0.1:18331 \
 *   -Dscoregate.bench.keyFile=KEY_FILE -Dscoregate.bench.idsFile=SIRENS_FILE \
 *   io.scoregate.bench.FactsBench RATE SECONDS
 * </pre>
 *
 * Properties ({@code scoregate.bench.}): {@code batch} (1), {@code sample} (one fact in N tracked;
 * default so that about 20 facts a second are tracked), {@code trackedCompanies} (the pool, 1,000
 * or a quarter of the companies), {@code warmupRate} (the rate, at most 100), {@code warmupSeconds}
 * (30), {@code pollMs} (5), {@code pollMaxMs} (50), {@code deadlineMs} (10,000), {@code timeoutMs}
 * (30,000: waiting for a connection, then for the answer), {@code connections} (512 to A), {@code
 * readConnections} (32 to B), {@code lateMs} (100), {@code expect} ({@code after}: the score in the
 * answer; {@code changed}: when an answer gives none, any score other than the one B served
 * before), {@code handshake} (wait for a line on stdin after the warm-up). Marker lines for the
 * script: {@code @warmed}, {@code @sending EPOCH_MS}, {@code @sent EPOCH_MS}, {@code @done}.
 */
public final class FactsBench {

  private final Vertx vertx;
  private final Context context;
  private final HttpClientAgent posts;
  private final HttpClientAgent reads;
  private final String eventsUri;
  private final String scoreUri;
  private final String key;
  private final String[] sirens;
  private final int batch;
  private final long pollMs = Long.getLong("scoregate.bench.pollMs", 5);
  private final long pollMaxMs = Long.getLong("scoregate.bench.pollMaxMs", 50);
  private final long deadlineNs = Long.getLong("scoregate.bench.deadlineMs", 10_000) * 1_000_000;
  private final long timeoutMs = Long.getLong("scoregate.bench.timeoutMs", 30_000);
  private final long lateNs = Long.getLong("scoregate.bench.lateMs", 100) * 1_000_000;
  private final boolean expectChanged =
      "changed".equals(System.getProperty("scoregate.bench.expect", "after"));

  /** Companies whose facts are tracked, free when none of theirs is in flight. */
  private final ConcurrentLinkedQueue<Integer> freeTracked = new ConcurrentLinkedQueue<>();

  private final int[] untracked;
  private int nextUntracked;

  /** The status each company is sent next (flipped at each fact); the scheduler's alone. */
  private final boolean[] ceased;

  /** The score B last served for each tracked company. */
  private final AtomicIntegerArray served;

  private final String refPrefix = "fb" + System.currentTimeMillis() + "-";
  private final AtomicLong ref = new AtomicLong();

  private FactsBench(Vertx vertx, String a, String b, String key, String[] sirens, int batch) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    int connections = Integer.getInteger("scoregate.bench.connections", 512);
    this.posts =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.reads =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions()
                .setHttp1MaxSize(Integer.getInteger("scoregate.bench.readConnections", 32))
                .setMaxWaitQueueSize(-1));
    this.eventsUri = a + "/api/v1/events";
    this.scoreUri = b + "/api/v1/companies/FR/";
    this.key = key;
    this.sirens = sirens;
    this.batch = batch;
    this.ceased = new boolean[sirens.length];
    this.served = new AtomicIntegerArray(sirens.length);
    int pool =
        Math.min(
            sirens.length / 2,
            Integer.getInteger(
                "scoregate.bench.trackedCompanies", Math.min(1_000, sirens.length / 4)));
    int step = Math.max(1, sirens.length / Math.max(1, pool));
    int[] rest = new int[sirens.length];
    int n = 0;
    for (int i = 0; i < sirens.length; i++) {
      if (i % step == 0 && freeTracked.size() < pool) {
        freeTracked.add(i);
      } else {
        rest[n++] = i;
      }
    }
    this.untracked = java.util.Arrays.copyOf(rest, n);
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      run(args);
      status = 0;
    } catch (Exception | Error e) {
      e.printStackTrace();
    } finally {
      System.exit(status); // Vert.x's threads would keep the JVM alive
    }
  }

  private static void run(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    String key = Files.readString(Path.of(System.getProperty("scoregate.bench.keyFile"))).strip();
    List<String> ids =
        Files.readAllLines(Path.of(System.getProperty("scoregate.bench.idsFile"))).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    int batch = Integer.getInteger("scoregate.bench.batch", 1);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    FactsBench bench =
        new FactsBench(
            vertx,
            System.getProperty("scoregate.bench.a"),
            System.getProperty("scoregate.bench.b"),
            key,
            ids.toArray(String[]::new),
            batch);
    int sample = Integer.getInteger("scoregate.bench.sample", Math.max(1, rate / 20));
    bench.readAllTracked();
    int warmupRate = Integer.getInteger("scoregate.bench.warmupRate", Math.min(rate, 100));
    int warmupSeconds = Integer.getInteger("scoregate.bench.warmupSeconds", 30);
    if (warmupSeconds > 0) {
      bench.run("warm-up", warmupRate, warmupSeconds, Math.max(1, warmupRate / 20)).print();
    }
    System.out.println("@warmed");
    if (Boolean.getBoolean("scoregate.bench.handshake")) {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    bench.run("measured", rate, seconds, sample).print();
    System.out.println("@done");
  }

  /**
   * Every tracked company read once on B: its score is cached there, and known here. A few at a
   * time, each tried again after a failure (a cold gateway answers its first misses slowly).
   */
  private void readAllTracked() {
    List<Integer> tracked = List.copyOf(freeTracked);
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
    CompletableFuture<?>[] all = new CompletableFuture<?>[tracked.size()];
    for (int i = 0; i < all.length; i++) {
      int c = tracked.get(i);
      inFlight.acquireUninterruptibly();
      all[i] =
          onContext(() -> readScore(c, 5))
              .whenComplete((s, e) -> inFlight.release())
              .thenAccept(s -> served.set(c, s));
    }
    CompletableFuture.allOf(all).join();
    System.out.printf(
        "%,d companies, %,d tracked (each read once on B first), %,d others%n",
        sirens.length, tracked.size(), untracked.length);
  }

  /** {@link #readScore(int)}, tried up to {@code attempts} times, 500 ms apart. */
  private Future<Integer> readScore(int company, int attempts) {
    return readScore(company)
        .recover(
            e ->
                attempts <= 1
                    ? Future.failedFuture(
                        new IllegalStateException("B cannot serve " + sirens[company], e))
                    : vertx.timer(500).compose(t -> readScore(company, attempts - 1)));
  }

  private Phase run(String label, int rate, int seconds, int sample) {
    Phase phase = new Phase(label, rate, seconds, sample);
    long calls = (long) rate * seconds / batch;
    long periodNs = 1_000_000_000L * batch / rate;
    if (label.equals("measured")) {
      System.out.println("@sending " + System.currentTimeMillis());
    }
    long start = System.nanoTime();
    for (long i = 0; i < calls; i++) {
      long due = start + i * periodNs;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      Call call = call(phase, i, due);
      phase.outstanding.incrementAndGet();
      context.runOnContext(v -> send(phase, call));
    }
    phase.scheduleNs = System.nanoTime() - start;
    if (label.equals("measured")) {
      System.out.println("@sent " + System.currentTimeMillis());
    }
    phase.finished(); // the last one to end completes the phase
    phase.done.join();
    phase.wallNs = System.nanoTime() - start;
    return phase;
  }

  /** A call's facts: built on the scheduler's thread, which alone flips the statuses. */
  private record Call(long due, Buffer body, int[] companies, boolean[] tracked) {}

  private Call call(Phase phase, long i, long due) {
    int[] companies = new int[batch];
    boolean[] tracked = new boolean[batch];
    StringBuilder body = new StringBuilder(batch * 160);
    for (int j = 0; j < batch; j++) {
      long fact = i * batch + j;
      Integer c = fact % phase.sample == 0 ? freeTracked.poll() : null;
      if (fact % phase.sample == 0 && c == null) {
        phase.skipped.increment();
      }
      tracked[j] = c != null;
      companies[j] = c != null ? c : untracked[nextUntracked++ % untracked.length];
      int company = companies[j];
      ceased[company] = !ceased[company];
      body.append("{\"siren\":\"")
          .append(sirens[company])
          .append("\",\"kind\":\"status_changed\",\"external_ref\":\"")
          .append(refPrefix)
          .append(ref.incrementAndGet())
          .append("\",\"status\":\"")
          .append(ceased[company] ? "ceased" : "active")
          .append("\",\"occurred_on\":\"2026-06-01\"}");
      if (batch > 1) {
        body.append('\n');
      }
    }
    phase.facts.add(batch);
    phase.tracked.add(count(tracked));
    return new Call(due, Buffer.buffer(body.toString()), companies, tracked);
  }

  private void send(Phase phase, Call call) {
    posts
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(eventsUri)
                .putHeader("X-API-Key", key)
                .putHeader("Content-Type", batch > 1 ? "application/x-ndjson" : "application/json")
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs))
        .compose(
            req -> {
              long delay = System.nanoTime() - call.due();
              phase.sendDelays.add(delay);
              if (delay > lateNs) {
                phase.late.increment();
              }
              return req.send(call.body());
            })
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)))
        .onComplete(
            ar -> {
              phase.answered.add(System.nanoTime() - call.due());
              if (ar.failed()) {
                phase.fail(failure(ar.cause()), batch);
                lost(phase, call, -1);
              } else {
                answered(phase, call, ar.result());
              }
              phase.finished();
            });
  }

  private record Answer(int status, Buffer body) {}

  private void answered(Phase phase, Call call, Answer answer) {
    JsonObject json;
    try {
      json = answer.body().toJsonObject();
    } catch (RuntimeException e) {
      phase.fail("HTTP " + answer.status() + " unreadable body", batch);
      lost(phase, call, -1);
      return;
    }
    boolean ok = batch > 1 ? answer.status() == 200 : answer.status() == 201;
    if (!ok) {
      phase.fail("HTTP " + answer.status() + " " + json.getString("type", ""), batch);
      lost(phase, call, -1);
      return;
    }
    JsonArray results =
        batch > 1 ? json.getJsonArray("results") : new JsonArray().add(json.put("line", 1));
    for (int j = 0; j < batch; j++) {
      JsonObject item = results.getJsonObject(j);
      String result = item.getString("result");
      if (!"accepted".equals(result)) {
        phase.fail("duplicate".equals(result) ? "duplicate" : "line " + item.getString("type"), 1);
        lost(phase, call, j);
        continue;
      }
      phase.accepted.increment();
      if (call.tracked()[j]) {
        track(phase, call.companies()[j], call.due(), item.getJsonObject("score"));
      }
    }
  }

  /**
   * A failed call's tracked companies are not used again: whether their fact was stored is not
   * known. {@code line} -1 is every line of the call.
   */
  private void lost(Phase phase, Call call, int line) {
    for (int j = 0; j < batch; j++) {
      if ((line < 0 || line == j) && call.tracked()[j]) {
        phase.lost.increment(); // left out of freeTracked
      }
    }
  }

  private void track(Phase phase, int company, long due, JsonObject score) {
    IntPredicate isNew;
    if (score != null && score.getInteger("after") != null) {
      int after = score.getInteger("after");
      isNew = s -> s == after;
    } else if (expectChanged) {
      int before = served.get(company);
      isNew = s -> s != before;
    } else {
      phase.unchanged.increment(); // the answer says the score did not change
      freeTracked.add(company);
      return;
    }
    phase.outstanding.incrementAndGet();
    poll(phase, company, isNew, due, pollMs);
  }

  private void poll(Phase phase, int company, IntPredicate isNew, long due, long waitMs) {
    phase.reads.increment();
    readScore(company)
        .onComplete(
            ar -> {
              long now = System.nanoTime();
              if (ar.succeeded() && isNew.test(ar.result())) {
                phase.seen.add(now - due);
                served.set(company, ar.result());
                freeTracked.add(company);
                phase.finished();
              } else if (now - due > deadlineNs) {
                phase.fail("not served by B within the deadline", 1);
                phase.notSeen.increment();
                phase.finished(); // the company's state is unknown: not used again
              } else {
                if (ar.failed()) {
                  phase.readErrors.increment();
                }
                vertx.setTimer(
                    waitMs, t -> poll(phase, company, isNew, due, Math.min(pollMaxMs, waitMs * 2)));
              }
            });
  }

  private Future<Integer> readScore(int company) {
    return reads
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(scoreUri + sirens[company] + "/score")
                .putHeader("X-API-Key", key)
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs))
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .map(
                        b -> {
                          if (resp.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + resp.statusCode());
                          }
                          Integer s = b.toJsonObject().getInteger("score");
                          return s == null ? -1 : s;
                        }));
  }

  private <T> CompletableFuture<T> onContext(java.util.function.Supplier<Future<T>> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(
        v ->
            work.get()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        f.complete(ar.result());
                      } else {
                        f.completeExceptionally(ar.cause());
                      }
                    }));
    return f;
  }

  private static String failure(Throwable e) {
    if (e instanceof TimeoutException
        || e instanceof io.netty.channel.ConnectTimeoutException
        || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
      return "timeout (" + e.getClass().getSimpleName() + ")";
    }
    return "connection (" + e.getClass().getSimpleName() + ")";
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      if (x) {
        n++;
      }
    }
    return n;
  }

  /** One phase's counts and latencies (nanoseconds), filled from the event loops. */
  private final class Phase {
    final String label;
    final int rate;
    final int seconds;
    final int sample;
    final LongAdder facts = new LongAdder();
    final LongAdder tracked = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder unchanged = new LongAdder();
    final LongAdder notSeen = new LongAdder();
    final LongAdder readErrors = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder reads = new LongAdder();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> answered = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> sendDelays = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicInteger outstanding =
        new java.util.concurrent.atomic.AtomicInteger(1); // the schedule itself
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long scheduleNs;
    long wallNs;

    Phase(String label, int rate, int seconds, int sample) {
      this.label = label;
      this.rate = rate;
      this.seconds = seconds;
      this.sample = sample;
    }

    void fail(String kind, int n) {
      failures.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    }

    void finished() {
      if (outstanding.decrementAndGet() == 0) {
        done.complete(null);
      }
    }

    void print() {
      long[] a = sorted(answered);
      long[] d = sorted(sendDelays);
      long[] s = sorted(seen);
      Map<String, Long> byKind = new TreeMap<>();
      failures.forEach((k, v) -> byKind.put(k, v.sum()));
      System.out.printf(
          "%s: %,d facts/s for %d s in calls of %d (%.1f calls/s); schedule kept in %.1f s, every"
              + " call and read over after %.1f s%n",
          label, rate, seconds, batch, (double) rate / batch, scheduleNs / 1e9, wallNs / 1e9);
      System.out.printf(
          "%s:   facts sent %,d, accepted %,d; failed by kind %s%n",
          label, facts.sum(), accepted.sum(), byKind.isEmpty() ? "{}" : byKind);
      System.out.printf(
          "%s:   calls %,d: due -> answered p50 %.1f / p99 %.1f / max %.1f ms; due -> sent p50 %.1f"
              + " / p99 %.1f ms, %,d late (sent more than %d ms after due)%n",
          label,
          a.length,
          OpenModel.pct(a, 0.50),
          OpenModel.pct(a, 0.99),
          a.length == 0 ? 0 : a[a.length - 1] / 1e6,
          OpenModel.pct(d, 0.50),
          OpenModel.pct(d, 0.99),
          late.sum(),
          lateNs / 1_000_000);
      System.out.printf(
          "%s:   tracked 1 fact in %d: %,d tracked, %,d served by B (due -> new score on B p50 %.1f"
              + " / p90 %.1f / p99 %.1f / max %.1f ms), %,d not within %d ms, %,d unchanged, %,d"
              + " not tracked (no free company), %,d whose call failed; %,d reads of B (%.0f/s),"
              + " %,d failed and retried%n",
          label,
          sample,
          tracked.sum(),
          s.length,
          OpenModel.pct(s, 0.50),
          OpenModel.pct(s, 0.90),
          OpenModel.pct(s, 0.99),
          s.length == 0 ? 0 : s[s.length - 1] / 1e6,
          notSeen.sum(),
          deadlineNs / 1_000_000,
          unchanged.sum(),
          skipped.sum(),
          lost.sum(),
          reads.sum(),
          reads.sum() / (wallNs / 1e9),
          readErrors.sum());
    }
  }

  private static long[] sorted(ConcurrentLinkedQueue<Long> q) {
    return q.stream().mapToLong(Long::longValue).sorted().toArray();
  }
}
