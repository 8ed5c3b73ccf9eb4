package io.scoregate.policy;

import java.util.List;

/**
 * What a policy decided for one request: the version and the rule that decided, the recommendation
 * and limits after the guardrails, and the reasons to add to the answer (the rule's own, then any
 * guardrail that acted, then requests above the limits).
 */
public record PolicyDecision(
    String version,
    String ruleId,
    Recommendation recommendation,
    long maxAmount,
    int maxPaymentTerm,
    List<PolicyRule.Reason> reasons) {}
