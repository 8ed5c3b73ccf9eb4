package io.scoregate.rollout;

import io.scoregate.http.ApiProblem;

/** The problems the registry answers with. */
final class RolloutProblems {

  private RolloutProblems() {}

  static ApiProblem unknownModel(String version) {
    return new ApiProblem.Status(
        404, "unknown-model", "Unknown model", "No model " + version + " in the registry.");
  }

  /** An artifact the gateway could not serve. */
  static ApiProblem unservable(String detail) {
    return new ApiProblem.Status(422, "unservable-model", "Model cannot be served", detail);
  }

  /** A change the registry refuses in its current state, e.g. retiring the champion. */
  static ApiProblem conflict(String detail) {
    return new ApiProblem.Status(409, "rollout-conflict", "Rollout conflict", detail);
  }
}
