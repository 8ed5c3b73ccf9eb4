package io.scoregate.edge;

import io.scoregate.problem.ProblemException;
import java.util.Map;

/** No credential, or one that is unknown, revoked or wrong: the same answer for all of them. */
public final class InvalidCredentialsException extends ProblemException {

  /** RFC 6750 for bearer tokens, and how to send an API key instead. */
  static final String CHALLENGE = "Bearer realm=\"scoregate\", ApiKey realm=\"scoregate\"";

  public InvalidCredentialsException() {
    super(
        401,
        "unauthorized",
        "Unauthorized",
        "Send a valid API key in X-API-Key.",
        Map.of("WWW-Authenticate", CHALLENGE),
        null,
        null);
  }
}
