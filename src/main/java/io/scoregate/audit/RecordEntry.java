package io.scoregate.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * A decision journaled before decisions referenced their assessment (migration V8): the whole
 * record (inputs, features used, outputs, reasons) as the JSON text that was hashed. Such rows are
 * kept as they are, read and verified as they were written.
 */
public record RecordEntry(
    UUID decisionId,
    Instant createdAt,
    String tenantId,
    String requestId,
    String country,
    String nationalId,
    String modelVersion,
    String policyVersion,
    byte[] record) {}
