package io.scoregate.audit;

import static io.scoregate.config.ConfigCheck.require;

/** Configuration key {@code journal}: group-commit batches and monthly partitions. */
public record JournalConfig(int maxBatchRows, int partitionsAhead) {
  public JournalConfig {
    require(maxBatchRows > 0, "journal.maxBatchRows must be > 0");
    require(partitionsAhead >= 0, "journal.partitionsAhead must be >= 0");
  }
}
