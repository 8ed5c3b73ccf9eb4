package io.scoregate.monitoring;

import java.time.Instant;

/**
 * One stored change of a company's current score. {@code before} is null for a company's first
 * score. {@code cause} is one of {@link #EVENT}, {@link #MODEL_CHANGE}, {@link #SCHEDULED}, {@link
 * #INITIAL}; the cause event is set for {@link #EVENT} only.
 */
public record ScoreChange(
    long companyId,
    String country,
    String nationalId,
    ScoreSnapshot before,
    ScoreSnapshot after,
    String cause,
    Long causeEventId,
    String causeEventKind,
    Instant at) {

  public static final String EVENT = "event";
  public static final String MODEL_CHANGE = "model_change";
  public static final String SCHEDULED = "scheduled";
  public static final String INITIAL = "initial";
}
