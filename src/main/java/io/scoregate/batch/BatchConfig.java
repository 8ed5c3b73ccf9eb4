package io.scoregate.batch;

import static io.scoregate.config.ConfigCheck.require;

/**
 * The {@code batch} section of the configuration: input limits, how work is cut and leased, how
 * much of an instance batch work may take, and how long results are kept. Every key has a default
 * ({@link #DEFAULTS}, the values of {@code config/application.yaml}).
 */
public record BatchConfig(
    boolean workersEnabled,
    int poolSize,
    int maxLines,
    long maxJsonBodyBytes,
    long uploadTimeoutMs,
    int insertRows,
    int maxLineErrors,
    int chunkSize,
    int workers,
    int concurrency,
    long leaseMs,
    long pollMs,
    int maxAttempts,
    long retentionHours,
    long purgeIntervalMs,
    int pageSize,
    int maxPageSize) {

  public static final BatchConfig DEFAULTS =
      new BatchConfig(
          true,
          4,
          1_000_000,
          16_777_216,
          600_000,
          2000,
          10,
          500,
          2,
          32,
          30_000,
          500,
          5,
          168,
          3_600_000,
          100,
          1000);

  public BatchConfig {
    require(poolSize > 0, "batch.poolSize must be > 0");
    require(maxLines > 0, "batch.maxLines must be > 0");
    require(maxJsonBodyBytes > 0, "batch.maxJsonBodyBytes must be > 0");
    require(uploadTimeoutMs > 0, "batch.uploadTimeoutMs must be > 0");
    require(insertRows > 0, "batch.insertRows must be > 0");
    require(maxLineErrors > 0, "batch.maxLineErrors must be > 0");
    require(chunkSize > 0, "batch.chunkSize must be > 0");
    require(workers > 0, "batch.workers must be > 0");
    require(concurrency > 0, "batch.concurrency must be > 0");
    require(leaseMs > 0, "batch.leaseMs must be > 0");
    require(pollMs > 0, "batch.pollMs must be > 0");
    require(maxAttempts > 0, "batch.maxAttempts must be > 0");
    require(retentionHours > 0, "batch.retentionHours must be > 0");
    require(purgeIntervalMs > 0, "batch.purgeIntervalMs must be > 0");
    require(pageSize > 0 && pageSize <= maxPageSize, "batch.pageSize must be 1..maxPageSize");
  }
}
