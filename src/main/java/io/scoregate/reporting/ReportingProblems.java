package io.scoregate.reporting;

import io.scoregate.http.ApiProblem;
import java.util.List;

/** The problems the reporting routes answer with. */
final class ReportingProblems {

  private ReportingProblems() {}

  static RuntimeException noPortfolio() {
    return ApiProblem.notFound("No portfolio with this id.");
  }

  static RuntimeException invalid(String field, String message) {
    return new ApiProblem.Invalid(
        List.of(new ApiProblem.FieldError(field, "invalid", field + " " + message + ".")));
  }
}
