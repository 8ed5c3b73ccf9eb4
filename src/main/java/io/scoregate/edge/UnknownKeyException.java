package io.scoregate.edge;

import io.scoregate.problem.ProblemException;

/** No active key with this id for the tenant. */
public final class UnknownKeyException extends ProblemException {

  public UnknownKeyException(String id) {
    super(404, "not-found", "Not found", "No active key " + id + " for this tenant.");
  }
}
