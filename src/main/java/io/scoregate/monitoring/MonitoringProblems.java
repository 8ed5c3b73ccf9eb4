package io.scoregate.monitoring;

import io.scoregate.http.ApiProblem;
import java.util.List;

/** The failures portfolio monitoring gives a client, each with its status and problem type. */
final class MonitoringProblems {

  private MonitoringProblems() {}

  /** Unknown, or another tenant's: the same answer, so an id tells nothing about other tenants. */
  static RuntimeException portfolioNotFound() {
    return ApiProblem.notFound("No such portfolio.");
  }

  static RuntimeException notFound(String detail) {
    return ApiProblem.notFound(detail);
  }

  static RuntimeException invalid(String field, String code, String message) {
    return new ApiProblem.Invalid(List.of(new ApiProblem.FieldError(field, code, message)));
  }

  static RuntimeException conflict(String type, String detail) {
    return new ApiProblem.Status(409, type, "Conflict", detail);
  }

  static RuntimeException forbidden(String scope) {
    return new ApiProblem.Status(
        403,
        "insufficient-scope",
        "Insufficient scope",
        "This credential lacks the '" + scope + "' scope.");
  }

  static RuntimeException unsupportedMediaType(String detail) {
    return new ApiProblem.Status(415, "unsupported-media-type", "Unsupported media type", detail);
  }
}
