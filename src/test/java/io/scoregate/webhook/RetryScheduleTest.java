package io.scoregate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry schedule: delays, jitter bounds, Retry-After, the end. */
class RetryScheduleTest {

  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final List<Long> SHIPPED =
      List.of(5L, 300L, 1800L, 7200L, 18000L, 36000L, 36000L, 36000L, 36000L, 36000L, 50400L);

  @Test
  void theShippedScheduleLastsAboutThreeDaysIn12Attempts() {
    RetrySchedule s = new RetrySchedule(SHIPPED, 0, 86400, () -> 0.5);
    Instant at = NOW;
    for (int failed = 1; failed < s.maxAttempts(); failed++) {
      at = s.next(failed, at, null);
    }
    assertThat(s.maxAttempts()).isEqualTo(12);
    assertThat(Duration.between(NOW, at)).isBetween(Duration.ofHours(70), Duration.ofHours(73));
    assertThat(s.next(12, at, null)).isNull();
  }

  @Test
  void jitterStaysWithinItsShare() {
    assertThat(new RetrySchedule(SHIPPED, 0.2, 86400, () -> 0.0).next(2, NOW, null))
        .isEqualTo(NOW.plusSeconds(240));
    assertThat(new RetrySchedule(SHIPPED, 0.2, 86400, () -> 1.0).next(2, NOW, null))
        .isEqualTo(NOW.plusSeconds(360));
  }

  @Test
  void retryAfterReplacesTheDelayUpToItsCap() {
    RetrySchedule s = new RetrySchedule(SHIPPED, 0.2, 3600, () -> 0.5);
    assertThat(s.next(1, NOW, Duration.ofSeconds(120))).isEqualTo(NOW.plusSeconds(120));
    assertThat(s.next(1, NOW, Duration.ofDays(3))).isEqualTo(NOW.plusSeconds(3600));
    assertThat(RetrySchedule.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetrySchedule.retryAfter("Mon, 15 Jun 2026 10:05:00 GMT", NOW))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(RetrySchedule.retryAfter("soon", NOW)).isNull();
    assertThat(RetrySchedule.retryAfter(null, NOW)).isNull();
  }
}
