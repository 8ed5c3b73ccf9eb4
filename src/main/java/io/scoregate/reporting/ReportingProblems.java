package io.scoregate.reporting;

import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;

/** The problems the reporting routes answer with. */
final class ReportingProblems {

  private ReportingProblems() {}

  static ProblemException noPortfolio() {
    return ProblemException.notFound("No portfolio with this id.");
  }

  static ValidationException invalid(String field, String message) {
    return ValidationException.of(field, "invalid", field + " " + message + ".");
  }
}
