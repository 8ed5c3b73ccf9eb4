package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineLayoutTest {

  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }

  private LoggingEvent event(String message, Throwable error) {
    LoggingEvent event =
        new LoggingEvent(
            "fqcn", context.getLogger("scoregate.access"), Level.INFO, message, error, null);
    event.setThreadName("vert.x-eventloop-thread-0");
    return event;
  }

  @Test
  void eachEventIsOneLineOfValidJsonWithItsKeyValuePairs() {
    LoggingEvent event = event("say \"hi\"\nand\ttab\u0001 \\ é", null);
    event.addKeyValuePair(new KeyValuePair("status", 200));
    event.addKeyValuePair(new KeyValuePair("latency_ms", 1.25));
    event.addKeyValuePair(new KeyValuePair("tenant", null));
    event.addKeyValuePair(new KeyValuePair("path", "/api/v1/scoring"));
    String line = new JsonLineLayout().doLayout(event);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("msg")).isEqualTo("say \"hi\"\nand\ttab\u0001 \\ é");
    assertThat(json.getInteger("status")).isEqualTo(200);
    assertThat(json.getDouble("latency_ms")).isEqualTo(1.25);
    assertThat(json.containsKey("tenant")).isTrue();
    assertThat(json.getString("tenant")).isNull();
    assertThat(json.getString("path")).isEqualTo("/api/v1/scoring");
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("scoregate.access");
    assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void anExceptionIsReducedToItsType() {
    String line =
        new JsonLineLayout()
            .doLayout(event("failed", new IllegalStateException("password=secret")));
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("error")).isEqualTo("java.lang.IllegalStateException");
    assertThat(line).doesNotContain("secret").doesNotContain("\tat ");
  }
}
