package io.scoregate.model;

import static io.scoregate.config.ConfigCheck.require;

/** Configuration key {@code model}: the artifact, the model verticle and shadow scoring. */
public record ModelConfig(
    String path,
    long requestTimeoutMs,
    int maxBatch,
    int maxReasons,
    long registryPollMs,
    int shadowMaxPending,
    int shadowBatchRows,
    long shadowFlushMs) {
  public ModelConfig {
    require(requestTimeoutMs > 0, "model.requestTimeoutMs must be > 0");
    require(maxBatch > 0, "model.maxBatch must be > 0");
    require(maxReasons > 0, "model.maxReasons must be > 0");
    require(registryPollMs > 0, "model.registryPollMs must be > 0");
    require(shadowMaxPending > 0, "model.shadowMaxPending must be > 0");
    require(shadowBatchRows > 0, "model.shadowBatchRows must be > 0");
    require(shadowFlushMs > 0, "model.shadowFlushMs must be > 0");
  }
}
