package io.scoregate.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one JSON object per line: time, level, logger, message, the event's
 * key-value pairs (request_id, status...) and MDC. Stack traces are deliberately left out: an
 * exception is reduced to its type, so no trace or data it carries reaches the log.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

  /**
   * Logback starts the layout when it configures itself, before any line is written, whatever the
   * entry point (the gateway, a command, a test): the moment to route {@code java.util.logging} to
   * it as well.
   */
  @Override
  public void start() {
    LibraryLogging.install();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    JsonObject line =
        new JsonObject()
            .put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString())
            .put("level", event.getLevel().toString())
            .put("logger", event.getLoggerName())
            .put("thread", event.getThreadName())
            .put("msg", event.getFormattedMessage());
    for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
      line.put(e.getKey(), e.getValue());
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        line.put(kv.key, kv.value);
      }
    }
    if (event.getThrowableProxy() != null) {
      line.put("error", event.getThrowableProxy().getClassName());
    }
    return line.encode() + System.lineSeparator();
  }
}
