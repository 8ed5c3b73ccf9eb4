package io.scoregate.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One decision to journal: who asked for what, on which assessment (by the hash of its {@link
 * AssessmentRecord}), and what was answered. The assessment itself is recorded once, not per
 * decision.
 *
 * @param scoredAt when the assessment was made (the answer's {@code scored_at})
 * @param policyReasons the codes of the policy's own reasons, in the order answered; empty when
 *     none
 * @param policyRule the id of the tenant rule that decided; null when none did
 * @param exposure the tenant's exposure to the company that the policy read; null when it read none
 *     (or the row predates format {@code decision-by-reference/3})
 * @param amountCap the platform amount cap in force ({@code policy.maxAmountCap}); null in rows
 *     written before format {@code decision-by-reference/3}
 */
public record JournalEntry(
    UUID decisionId,
    Instant createdAt,
    String tenantId,
    String requestId,
    String country,
    String nationalId,
    String modelVersion,
    String policyVersion,
    byte[] assessmentHash,
    Instant scoredAt,
    double amount,
    int paymentTerm,
    String recommendation,
    long maxAmount,
    int maxPaymentTerm,
    List<String> policyReasons,
    String policyRule,
    Double exposure,
    Double amountCap) {}
