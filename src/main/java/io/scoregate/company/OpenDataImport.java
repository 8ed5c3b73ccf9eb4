package io.scoregate.company;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bookkeeping of one open-data import, run on its reader thread: counts, the first errors, the
 * heap's high mark, and the facts in flight to the sink, at most {@code inFlight} at a time (the
 * reader waits for a slot: memory stays flat whatever the file's size).
 */
final class OpenDataImport {

  private static final int MAX_ERRORS = 20;

  private final String format;
  private final FactSink sink;
  private final Semaphore slots;
  private final PerCompanyOrder order = new PerCompanyOrder();
  private final int inFlight;
  private final long start = System.nanoTime();
  private final AtomicLong facts = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, Long> skipped = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private long read;
  private long rejected;
  private long companiesInserted;
  private long companiesUpdated;
  private long peakHeap;

  OpenDataImport(String format, FactSink sink, int inFlight) {
    this.format = format;
    this.sink = sink;
    this.inFlight = inFlight;
    this.slots = new Semaphore(inFlight);
  }

  void read() {
    read++;
    if ((read & 0x3FF) == 0) {
      Runtime rt = Runtime.getRuntime();
      peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
    }
  }

  void skip(String why) {
    skipped.merge(why, 1L, Long::sum);
  }

  void reject(String where, String why) {
    rejected++;
    synchronized (errors) {
      if (errors.size() < MAX_ERRORS) {
        errors.add(where + ": " + why);
      }
    }
  }

  void companies(long inserted, long updated) {
    companiesInserted += inserted;
    companiesUpdated += updated;
  }

  /** Hands the fact to the sink once a slot is free; the outcome is counted when it arrives. */
  void fact(CompanyEvent event, String where) throws InterruptedException {
    slots.acquire();
    Future<Boolean> sent;
    try {
      sent = order.submit(event.key(), () -> sink.accept(event));
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(
        ar -> {
          if (ar.succeeded()) {
            (ar.result() ? facts : duplicates).incrementAndGet();
          } else if (ar.cause() instanceof UnknownCompanyException) {
            unknown.incrementAndGet();
          } else {
            failed.incrementAndGet();
            synchronized (errors) {
              if (errors.size() < MAX_ERRORS) {
                errors.add(where + ": not stored: " + ar.cause().getMessage());
              }
            }
          }
          // Counted first: finish() takes every slot, then reads the counts.
          slots.release();
        });
  }

  /** Waits for the facts in flight, then reports. */
  OpenDataReport finish() throws InterruptedException {
    if (!slots.tryAcquire(inFlight, 5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("facts still in flight after 5 minutes");
    }
    Runtime rt = Runtime.getRuntime();
    peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
    Map<String, Long> skips = new LinkedHashMap<>(skipped);
    if (unknown.get() > 0) {
      skips.put("company not on file", unknown.get());
    }
    List<String> firstErrors;
    synchronized (errors) {
      firstErrors = List.copyOf(errors);
    }
    return new OpenDataReport(
        format,
        read,
        facts.get(),
        duplicates.get(),
        companiesInserted,
        companiesUpdated,
        skips,
        rejected + failed.get(),
        firstErrors,
        Duration.ofNanos(System.nanoTime() - start),
        peakHeap);
  }
}
