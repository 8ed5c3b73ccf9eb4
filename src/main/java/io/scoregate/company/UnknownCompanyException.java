package io.scoregate.company;

import io.scoregate.problem.ProblemException;

/** The identifier is valid but no company with it is on file. */
public final class UnknownCompanyException extends ProblemException {

  public UnknownCompanyException(CompanyKey key) {
    super(
        404,
        "not-found",
        "Not found",
        "No company " + key.nationalId() + " (" + key.country() + ") is on file.");
  }
}
