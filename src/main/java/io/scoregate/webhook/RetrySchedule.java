package io.scoregate.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed message is tried again: after the n-th failed attempt, the n-th delay of {@code
 * webhook.retryScheduleSeconds}, jittered by +-{@code webhook.jitter} so that an endpoint coming
 * back is not hit by every message at once; a {@code Retry-After} on 429 or 503 replaces the delay
 * (up to {@code webhook.maxRetryAfterSeconds}). After the last delay's attempt the message is dead.
 */
final class RetrySchedule {

  private final List<Long> delaysSeconds;
  private final double jitter;
  private final long maxRetryAfterSeconds;
  private final DoubleSupplier random;

  RetrySchedule(
      List<Long> delaysSeconds, double jitter, long maxRetryAfterSeconds, DoubleSupplier random) {
    this.delaysSeconds = List.copyOf(delaysSeconds);
    this.jitter = jitter;
    this.maxRetryAfterSeconds = maxRetryAfterSeconds;
    this.random = random;
  }

  /** How many attempts a message gets in all. */
  int maxAttempts() {
    return delaysSeconds.size() + 1;
  }

  /**
   * When to try again after {@code failedAttempts} failed attempts (this one included), or null
   * when the message is dead.
   */
  Instant next(int failedAttempts, Instant now, Duration retryAfter) {
    if (failedAttempts >= maxAttempts()) {
      return null;
    }
    if (retryAfter != null) {
      long seconds = Math.max(1, Math.min(retryAfter.toSeconds(), maxRetryAfterSeconds));
      return now.plusSeconds(seconds);
    }
    double base = delaysSeconds.get(failedAttempts - 1) * 1000.0;
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return now.plusMillis(Math.round(base * factor));
  }

  /** A {@code Retry-After} value: delay-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
