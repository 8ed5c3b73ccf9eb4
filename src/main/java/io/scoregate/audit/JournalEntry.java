package io.scoregate.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One decision to journal. {@code record} is the JSON text of inputs, features used, outputs and
 * reasons: it is stored and hashed exactly as given.
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
    byte[] record) {}
