package io.scoregate.batch;

import java.time.Instant;
import java.util.UUID;

/**
 * A finished batch as its owner sees it: {@code status} is {@code completed} or {@code failed};
 * {@code succeeded + failed == total} once completed ({@code failed} counts the lines with an error
 * result, invalid identifiers included). {@code resultsUrl} is the path of its results.
 */
public record BatchSummary(
    UUID batchId,
    String tenantId,
    String mode,
    String status,
    int total,
    int succeeded,
    int failed,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String resultsUrl) {}
