package io.scoregate.policy;

import static io.scoregate.config.ConfigCheck.require;

/**
 * The configuration of tenants' rules ({@code policyRules} in config/application.yaml).
 *
 * @param costLimit the highest estimated cost of one expression a policy may hold
 * @param maxRules the most rules in one policy
 * @param maxExpressionChars the longest expression, in characters
 * @param maxIterations the most iterations of one comprehension (exists, all...) at run time
 * @param refreshMs how often each instance checks for a changed active version
 * @param simulationMaxDecisions the most journal decisions one simulation replays
 * @param simulationSamples changed decisions shown per migration (from, to)
 */
public record PolicyRulesConfig(
    long costLimit,
    int maxRules,
    int maxExpressionChars,
    int maxIterations,
    long refreshMs,
    int simulationMaxDecisions,
    int simulationSamples) {

  public static final PolicyRulesConfig DEFAULTS =
      new PolicyRulesConfig(1000, 100, 2000, 100, 1000, 100_000, 3);

  public PolicyRulesConfig {
    require(costLimit > 0, "policyRules.costLimit must be > 0");
    require(maxRules > 0, "policyRules.maxRules must be > 0");
    require(maxExpressionChars > 0, "policyRules.maxExpressionChars must be > 0");
    require(maxIterations > 0, "policyRules.maxIterations must be > 0");
    require(refreshMs > 0, "policyRules.refreshMs must be > 0");
    require(simulationMaxDecisions > 0, "policyRules.simulationMaxDecisions must be > 0");
    require(simulationSamples >= 0, "policyRules.simulationSamples must be >= 0");
  }
}
