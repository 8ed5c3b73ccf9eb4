package io.scoregate.edge;

import io.scoregate.problem.ProblemException;
import java.util.Map;

/**
 * A bearer token that cannot be accepted. The reason is kept for the logs of this service; the
 * client is told only that the token is invalid.
 */
public final class InvalidTokenException extends ProblemException {

  private static final String CHALLENGE =
      "Bearer realm=\"scoregate\", error=\"invalid_token\", ApiKey realm=\"scoregate\"";

  public InvalidTokenException(String reason) {
    super(
        401,
        "unauthorized",
        "Unauthorized",
        "The bearer token is not valid.",
        Map.of("WWW-Authenticate", CHALLENGE),
        "bearer token refused: " + reason,
        null);
  }
}
