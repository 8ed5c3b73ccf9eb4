package io.scoregate.policy;

import io.scoregate.http.ApiProblem;

/** The problems the policy admin API answers with (beyond 422 validation errors). */
final class PolicyProblems {

  private PolicyProblems() {}

  static ApiProblem unknownVersion(String tenantId, String version) {
    return new ApiProblem.Status(
        404,
        "unknown-policy",
        "Unknown policy",
        "Tenant " + tenantId + " has no policy " + version + ".");
  }

  static ApiProblem nothingToRollBack(String tenantId) {
    return new ApiProblem.Status(
        409,
        "policy-conflict",
        "Policy conflict",
        "Tenant " + tenantId + " never activated a policy: the platform default is active.");
  }
}
