package io.scoregate.scoring;

/** A dependency (Postgres, the model) did not answer in time; the call may be retried. */
public final class DependencyUnavailableException extends RuntimeException {

  public DependencyUnavailableException(String message) {
    super(message, null, false, false);
  }
}
