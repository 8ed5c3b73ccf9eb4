package io.scoregate.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to standard output in batches, from a thread of its own. The thread that logs
 * (an event loop, for the access log) only puts the event on a bounded queue and wakes no one; the
 * writer wakes every {@code flushMs}, lays out everything queued since and writes it in one call.
 * So a logged request costs no wake-up of another thread and no write call of its own: at a few
 * thousand requests a second, a few dozen writes a second carry all their lines.
 *
 * <p>When the queue is full the line is dropped and counted, never waited for (a log line must not
 * hold up a request); the count goes out as a line of its own with the next batch. Stopping the
 * appender (logback's shutdown hook, at exit) writes what is still queued.
 */
public final class BatchedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private Layout<ILoggingEvent> layout;
  private int queueSize = 8192;
  private long flushMs = 50;
  private long stopWaitMs = 2000;
  private BlockingQueue<ILoggingEvent> queue;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running;
  private Thread writer;
  private PrintStream target;

  public void setLayout(Layout<ILoggingEvent> layout) {
    this.layout = layout;
  }

  /** Events that may wait for the writer; more are dropped and counted. */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** How long an event may wait before it is written, in milliseconds. */
  public void setFlushMs(long flushMs) {
    this.flushMs = flushMs;
  }

  /** How long stopping waits for the writer to write what is left, in milliseconds. */
  public void setStopWaitMs(long stopWaitMs) {
    this.stopWaitMs = stopWaitMs;
  }

  /** Where the lines go instead of standard output (tests). */
  void writeTo(PrintStream target) {
    this.target = target;
  }

  @Override
  public void start() {
    if (layout == null) {
      addError("no layout for appender " + getName());
      return;
    }
    if (queueSize < 1 || flushMs < 1) {
      addError("queueSize and flushMs must be positive for appender " + getName());
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    running = true;
    writer = new Thread(this::writeUntilStopped, "scoregate-log-writer");
    writer.setDaemon(true);
    writer.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The thread name, MDC and message belong to the caller: capture them before queueing.
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(stopWaitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>(Math.min(queueSize, 4096));
    StringBuilder text = new StringBuilder(64 * 1024);
    while (running) {
      LockSupport.parkNanos(flushMs * 1_000_000L);
      writeQueued(batch, text);
    }
    writeQueued(batch, text);
  }

  private void writeQueued(List<ILoggingEvent> batch, StringBuilder text) {
    while (queue.drainTo(batch, 4096) > 0 || dropped.get() > 0) {
      for (ILoggingEvent event : batch) {
        try {
          text.append(layout.doLayout(event));
        } catch (RuntimeException e) {
          addError("log line could not be laid out", e);
        }
      }
      batch.clear();
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        text.append("{\"ts\":\"")
            .append(Instant.now())
            .append("\",\"level\":\"WARN\",\"logger\":\"")
            .append(getClass().getName())
            .append("\",\"msg\":\"log lines dropped: queue full\",\"dropped\":")
            .append(lost)
            .append('}')
            .append(System.lineSeparator());
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      text.setLength(0);
      if (text.capacity() > 1024 * 1024) {
        text.trimToSize();
      }
      PrintStream out = target == null ? System.out : target;
      out.write(bytes, 0, bytes.length);
      out.flush();
    }
  }
}
