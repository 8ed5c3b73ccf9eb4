package io.scoregate.edge;

import io.scoregate.problem.ProblemException;

/** A tenant with this id exists already. */
public final class TenantExistsException extends ProblemException {

  public TenantExistsException(String id) {
    super(409, "conflict", "Conflict", "A tenant with id " + id + " exists already.");
  }
}
