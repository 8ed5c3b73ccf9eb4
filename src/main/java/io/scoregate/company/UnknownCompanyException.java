package io.scoregate.company;

/** The identifier is valid but no company with it is on file. */
public final class UnknownCompanyException extends RuntimeException {

  public UnknownCompanyException(CompanyKey key) {
    super(
        "No company " + key.nationalId() + " (" + key.country() + ") is on file.",
        null,
        false,
        false);
  }
}
