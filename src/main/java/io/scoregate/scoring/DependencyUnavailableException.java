package io.scoregate.scoring;

import io.scoregate.problem.ProblemException;
import java.util.Map;

/**
 * A dependency (Postgres, the model) did not answer in time; the call may be retried. A 503 whose
 * cause goes to the log, not to the client.
 */
public final class DependencyUnavailableException extends ProblemException {

  public DependencyUnavailableException(String message, Throwable cause) {
    super(503, "service-unavailable", "Service unavailable", message, Map.of(), null, cause);
  }
}
