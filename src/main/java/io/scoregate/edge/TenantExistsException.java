package io.scoregate.edge;

/** A tenant with this id exists already. */
public final class TenantExistsException extends RuntimeException {

  public TenantExistsException(String id) {
    super("A tenant with id " + id + " exists already.", null, false, false);
  }
}
