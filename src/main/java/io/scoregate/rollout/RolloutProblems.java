package io.scoregate.rollout;

import io.scoregate.problem.ProblemException;

/** The problems the registry answers with. */
final class RolloutProblems {

  private RolloutProblems() {}

  static ProblemException unknownModel(String version) {
    return new ProblemException(
        404, "unknown-model", "Unknown model", "No model " + version + " in the registry.");
  }

  /** An artifact the gateway could not serve. */
  static ProblemException unservable(String detail) {
    return new ProblemException(422, "unservable-model", "Model cannot be served", detail);
  }

  /** A change the registry refuses in its current state, e.g. retiring the champion. */
  static ProblemException conflict(String detail) {
    return new ProblemException(409, "rollout-conflict", "Rollout conflict", detail);
  }
}
