package io.scoregate.monitoring;

import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;

/** The failures portfolio monitoring gives a client, each with its status and problem type. */
final class MonitoringProblems {

  private MonitoringProblems() {}

  /** Unknown, or another tenant's: the same answer, so an id tells nothing about other tenants. */
  static ProblemException portfolioNotFound() {
    return ProblemException.notFound("No such portfolio.");
  }

  static ProblemException notFound(String detail) {
    return ProblemException.notFound(detail);
  }

  static ProblemException invalid(String field, String code, String message) {
    return ValidationException.of(field, code, message);
  }

  static ProblemException conflict(String type, String detail) {
    return new ProblemException(409, type, "Conflict", detail);
  }

  static ProblemException unsupportedMediaType(String detail) {
    return new ProblemException(415, "unsupported-media-type", "Unsupported media type", detail);
  }
}
