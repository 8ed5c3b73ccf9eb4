package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Libraries that log through {@code System.Logger} (Caffeine: "Exception thrown during asynchronous
 * load") or {@code java.util.logging} reach logback, hence the JSON layout, instead of the JDK's
 * console handler and its multi-line stack traces.
 */
class LibraryLoggingTest {

  @Test
  void systemLoggerAndJulEventsReachTheJsonLayoutWithoutATrace() {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
    try {
      LibraryLogging.install();
      System.getLogger("probe.platform")
          .log(System.Logger.Level.WARNING, "load failed", new IllegalStateException("secret=x"));
      java.util.logging.Logger.getLogger("probe.jul")
          .log(java.util.logging.Level.WARNING, "jul failed", new IllegalStateException("y"));
    } finally {
      root.detachAppender(captured);
    }
    assertThat(captured.list)
        .extracting(ILoggingEvent::getLoggerName)
        .contains("probe.platform", "probe.jul");
    JsonLineLayout layout = new JsonLineLayout();
    for (ILoggingEvent event : captured.list) {
      if (event.getLoggerName().startsWith("probe.")) {
        String line = layout.doLayout(event);
        assertThat(line.strip()).doesNotContain("\n", "\tat ", "secret=x");
        assertThat(line).contains("\"error\":\"java.lang.IllegalStateException\"");
      }
    }
  }
}
