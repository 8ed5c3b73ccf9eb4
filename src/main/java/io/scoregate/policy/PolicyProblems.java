package io.scoregate.policy;

import io.scoregate.problem.ProblemException;

/** The problems the policy admin API answers with (beyond 422 validation errors). */
final class PolicyProblems {

  private PolicyProblems() {}

  static ProblemException unknownVersion(String tenantId, String version) {
    return new ProblemException(
        404,
        "unknown-policy",
        "Unknown policy",
        "Tenant " + tenantId + " has no policy " + version + ".");
  }

  static ProblemException nothingToRollBack(String tenantId) {
    return new ProblemException(
        409,
        "policy-conflict",
        "Policy conflict",
        "Tenant " + tenantId + " never activated a policy: the platform default is active.");
  }
}
