package io.scoregate.edge;

/** An issuer's client id already speaks for another tenant. */
public final class IssuerBoundException extends RuntimeException {

  public IssuerBoundException(String issuer, String clientId) {
    super(
        "Client id " + clientId + " of " + issuer + " already speaks for another tenant.",
        null,
        false,
        false);
  }
}
