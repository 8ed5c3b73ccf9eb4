package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchedConsoleAppenderTest {

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }

  private BatchedConsoleAppender appender(int queueSize, long flushMs) {
    BatchedConsoleAppender appender = new BatchedConsoleAppender();
    appender.setContext(context);
    appender.setName("test");
    JsonLineLayout layout = new JsonLineLayout();
    layout.setContext(context);
    layout.start();
    appender.setLayout(layout);
    appender.setQueueSize(queueSize);
    appender.setFlushMs(flushMs);
    appender.writeTo(new PrintStream(written, true, StandardCharsets.UTF_8));
    appender.start();
    return appender;
  }

  private void log(BatchedConsoleAppender appender, String message) {
    appender.doAppend(
        new LoggingEvent(
            "fqcn", context.getLogger("scoregate.access"), Level.INFO, message, null, null));
  }

  private List<String> lines() {
    String text = written.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
  }

  @Test
  void linesAreWrittenInOrderWithinTheFlushInterval() {
    BatchedConsoleAppender appender = appender(100, 10);
    try {
      for (int i = 0; i < 50; i++) {
        log(appender, "line " + i);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> lines().size() == 50);
      List<String> lines = lines();
      for (int i = 0; i < 50; i++) {
        assertThat(new JsonObject(lines.get(i)).getString("msg")).isEqualTo("line " + i);
      }
    } finally {
      appender.stop();
    }
  }

  @Test
  void nothingIsWrittenBeforeTheIntervalAndStoppingWritesWhatIsLeft() {
    BatchedConsoleAppender appender = appender(100, 60_000);
    log(appender, "first");
    log(appender, "second");
    assertThat(lines()).isEmpty();
    appender.stop();
    assertThat(lines()).hasSize(2);
    assertThat(new JsonObject(lines().get(1)).getString("msg")).isEqualTo("second");
  }

  @Test
  void aFullQueueDropsLinesAndSaysHowMany() {
    BatchedConsoleAppender appender = appender(3, 60_000);
    for (int i = 0; i < 10; i++) {
      log(appender, "line " + i);
    }
    appender.stop();
    List<String> lines = lines();
    assertThat(lines).hasSize(4);
    assertThat(new JsonObject(lines.get(2)).getString("msg")).isEqualTo("line 2");
    JsonObject drop = new JsonObject(lines.get(3));
    assertThat(drop.getString("level")).isEqualTo("WARN");
    assertThat(drop.getLong("dropped")).isEqualTo(7);
    assertThat(drop.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void withoutALayoutTheAppenderDoesNotStart() {
    BatchedConsoleAppender appender = new BatchedConsoleAppender();
    appender.setContext(context);
    appender.start();
    assertThat(appender.isStarted()).isFalse();
  }
}
