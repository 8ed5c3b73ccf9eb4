package io.scoregate.edge;

/** No active key with this id for the tenant. */
public final class UnknownKeyException extends RuntimeException {

  public UnknownKeyException(String id) {
    super("No active key " + id + " for this tenant.", null, false, false);
  }
}
