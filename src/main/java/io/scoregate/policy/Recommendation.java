package io.scoregate.policy;

import java.util.Locale;

/** What the caller should do, from the most to the least favourable. */
public enum Recommendation {
  ACCEPT,
  ACCEPT_WITH_MONITORING,
  MANUAL_REVIEW,
  REFUSE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Recommendation fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public Recommendation atBest(Recommendation other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
