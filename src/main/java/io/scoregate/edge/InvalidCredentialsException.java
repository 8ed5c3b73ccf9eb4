package io.scoregate.edge;

/** No credential, or one that is unknown, revoked or wrong: the same answer for all of them. */
public final class InvalidCredentialsException extends RuntimeException {

  public InvalidCredentialsException() {
    super("Send a valid API key in X-API-Key.", null, false, false);
  }
}
