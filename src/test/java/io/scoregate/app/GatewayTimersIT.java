package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gateway's periodic work outside the verticles (policy refresh, model registry poll, portfolio
 * snapshots, risk figures, shadow flush) stops with it: none of it runs on a closed pool. Each runs
 * every 50 ms here, so that a timer left scheduled fires during the close. The rounds' timer is
 * left off: it would re-score other tests' watched companies.
 */
class GatewayTimersIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));

  @BeforeAll
  static void schema() {
    TestPostgres.ensureSchema();
  }

  @Test
  void noPeriodicWorkRunsOnTheClosedPools() throws Exception {
    TestGateway gateway =
        TestGateway.start(
            CLOCK,
            Map.of(
                "SCOREGATE_POLICY_RULES_REFRESH_MS", "50",
                "SCOREGATE_MODEL_REGISTRY_POLL_MS", "50",
                "SCOREGATE_REPORTING_SNAPSHOT_CHECK_MS", "50",
                "SCOREGATE_REPORTING_RISK_REFRESH_MS", "50",
                "SCOREGATE_MODEL_SHADOW_FLUSH_MS", "50"));
    // Several rounds of each before the stop. Not faster: work queued faster than it runs (each
    // registry poll waits for the one before) would still be queued, not scheduled, at the stop.
    Thread.sleep(500);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    try {
      gateway.close();
    } finally {
      root.detachAppender(log);
    }
    assertThat(log.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
        .isEmpty();
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.startsWith("stopped in"));
  }
}
