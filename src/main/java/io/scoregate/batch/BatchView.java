package io.scoregate.batch;

import java.time.Instant;
import java.util.UUID;

/** A batch as stored: its status, counts and timestamps. */
record BatchView(
    UUID id,
    String tenantId,
    String mode,
    String source,
    UUID portfolioId,
    String status,
    int total,
    int invalid,
    int succeeded,
    int failed,
    int chunks,
    long quotaCharged,
    String error,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant expiresAt,
    Instant purgedAt) {

  boolean finished() {
    return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
  }

  BatchSummary summary() {
    return new BatchSummary(
        id,
        tenantId,
        mode,
        status,
        total,
        succeeded,
        failed,
        createdAt,
        startedAt,
        finishedAt,
        "/api/v1/batches/" + id + "/results");
  }
}
