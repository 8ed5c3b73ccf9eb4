package io.scoregate.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How often, and for how long, a thread that only reads the clock is not running: the machine's
 * own contribution to any latency percentile, without JMH or the product. Run as a single source
 * file, {@code java src/jmh/java/io/scoregate/policy/ClockGaps.java <threads> <seconds>}; each
 * thread prints its gaps by length and its run-queue wait from {@code /proc/thread-self/schedstat}
 * (time the guest kernel kept it waiting), so that gaps the guest did not cause stand out.
 */
public final class ClockGaps {

  private static final long[] EDGES_US = {2, 5, 10, 20, 40, 100, 1000, 10000};

  public static void main(String[] args) throws InterruptedException {
    int threads = Integer.parseInt(args[0]);
    long seconds = Long.parseLong(args[1]);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread = new Thread(() -> System.out.print(measure(id, seconds)));
      running.add(thread);
      thread.start();
    }
    for (Thread thread : running) {
      thread.join();
    }
  }

  private static String measure(int id, long seconds) {
    long[] counts = new long[EDGES_US.length];
    long[] lost = new long[EDGES_US.length];
    long warm = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warm) {
      // the loop compiled before it is measured
    }
    String before = schedstat();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long previous = start;
    long reads = 0;
    while (previous <= end) {
      long now = System.nanoTime();
      reads++;
      long gap = now - previous;
      for (int i = EDGES_US.length - 1; i >= 0; i--) {
        if (gap > EDGES_US[i] * 1000) {
          counts[i]++;
          lost[i] += gap;
          break;
        }
      }
      previous = now;
    }
    double elapsed = (previous - start) / 1e9;
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "thread %d: %.1f s, %.0f ns per clock read, schedstat (run ns, wait ns, slices)"
                + " before [%s] after [%s]%n",
            id, elapsed, (previous - start) / (double) reads, before, schedstat()));
    for (int i = 0; i < EDGES_US.length; i++) {
      long upTo = i + 1 < EDGES_US.length ? EDGES_US[i + 1] : Long.MAX_VALUE;
      out.append(
          String.format(
              "  gaps of %d-%s us: %d (%.1f/s), %.2f %% of the time%n",
              EDGES_US[i],
              upTo == Long.MAX_VALUE ? "" : Long.toString(upTo),
              counts[i],
              counts[i] / elapsed,
              100.0 * lost[i] / (previous - start)));
    }
    return out.toString();
  }

  private static String schedstat() {
    try {
      return Files.readString(Path.of("/proc/thread-self/schedstat")).trim();
    } catch (java.io.IOException e) {
      return "unavailable";
    }
  }
}
