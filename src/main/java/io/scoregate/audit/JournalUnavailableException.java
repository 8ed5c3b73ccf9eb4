package io.scoregate.audit;

import io.scoregate.problem.ProblemException;
import java.util.Map;

/**
 * The decision could not be made durable, so it must not be answered: a 503 whose cause (the
 * Postgres failure) goes to the log, not to the client.
 */
public final class JournalUnavailableException extends ProblemException {

  public JournalUnavailableException(String message, Throwable cause) {
    super(503, "service-unavailable", "Service unavailable", message, Map.of(), null, cause);
  }
}
