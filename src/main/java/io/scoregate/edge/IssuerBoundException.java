package io.scoregate.edge;

import io.scoregate.problem.ProblemException;

/** An issuer's client id already speaks for another tenant. */
public final class IssuerBoundException extends ProblemException {

  public IssuerBoundException(String issuer, String clientId) {
    super(
        409,
        "conflict",
        "Conflict",
        "Client id " + clientId + " of " + issuer + " already speaks for another tenant.");
  }
}
