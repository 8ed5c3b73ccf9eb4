package io.scoregate.policy;

import java.util.List;

/**
 * What a policy decided for one request: the version and the rule that decided, the recommendation
 * and limits after the guardrails, and the reasons to add to the answer (the rule's own, then any
 * guardrail that acted, then requests above the limits). With it, what the policy saw that the
 * company's assessment does not hold, for the journal: the tenant's {@code exposure} its rules read
 * (null when they read none) and the platform amount cap the guardrails held it to.
 */
public record PolicyDecision(
    String version,
    String ruleId,
    Recommendation recommendation,
    long maxAmount,
    int maxPaymentTerm,
    List<PolicyRule.Reason> reasons,
    Double exposure,
    double amountCap) {}
