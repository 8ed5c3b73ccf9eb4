package io.scoregate.edge;

/**
 * A bearer token that cannot be accepted. The reason is kept for the logs of this service; the
 * client is told only that the token is invalid.
 */
public final class InvalidTokenException extends RuntimeException {

  private final String reason;

  public InvalidTokenException(String reason) {
    super("The bearer token is not valid.", null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
