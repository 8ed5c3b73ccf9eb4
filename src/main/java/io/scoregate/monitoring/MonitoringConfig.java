package io.scoregate.monitoring;

/**
 * Settings of monitoring's facts side: the events API, re-scoring and the cache invalidation
 * channel, and the scheduled rounds ({@link RoundConfig}).
 *
 * @param maxEventsPerCall NDJSON lines accepted in one call to the events API
 * @param maxEventsBodyBytes the largest body the events API reads (the rest of the API keeps the
 *     smaller http.bodyLimitBytes)
 * @param eventsTimeoutMs how long one call to the events API may take (the rest of the API keeps
 *     http.requestTimeoutMs)
 * @param ingestConcurrency transactions of facts running at the same time, per instance
 * @param factsPerTransaction the most facts applied in one transaction (facts that queue while the
 *     transactions run share the next one)
 * @param maxQueuedFacts facts waiting on one instance; beyond, a fact is refused with a 503
 * @param poolSize Postgres connections for facts and re-scoring
 * @param channel the Postgres NOTIFY channel on which every instance hears of changed scores
 * @param historyMaxPage the largest page of score history
 */
public record MonitoringConfig(
    int maxEventsPerCall,
    long maxEventsBodyBytes,
    long eventsTimeoutMs,
    int ingestConcurrency,
    int factsPerTransaction,
    int maxQueuedFacts,
    int poolSize,
    String channel,
    int historyMaxPage,
    RoundConfig rounds) {

  public MonitoringConfig {
    require(maxEventsPerCall > 0, "monitoring.maxEventsPerCall must be > 0");
    require(maxEventsBodyBytes > 0, "monitoring.maxEventsBodyBytes must be > 0");
    require(eventsTimeoutMs > 0, "monitoring.eventsTimeoutMs must be > 0");
    require(ingestConcurrency > 0, "monitoring.ingestConcurrency must be > 0");
    require(factsPerTransaction > 0, "monitoring.factsPerTransaction must be > 0");
    require(maxQueuedFacts > 0, "monitoring.maxQueuedFacts must be > 0");
    require(poolSize > 0, "monitoring.poolSize must be > 0");
    require(
        channel != null && channel.matches("[a-z_][a-z0-9_]{0,62}"),
        "monitoring.channel must be a lower-case identifier");
    require(historyMaxPage > 0, "monitoring.historyMaxPage must be > 0");
    require(rounds != null, "monitoring.rounds is required");
  }

  /**
   * Scheduled re-scoring of every watched company.
   *
   * @param enabled false: this instance takes no part in rounds (others still do)
   * @param periodHours every watched company is re-scored once per period
   * @param chunkSize companies per unit of work; chunks are due evenly over the period
   * @param concurrency transactions of one chunk running at the same time, per instance
   * @param companiesPerTransaction companies re-scored together in one transaction
   * @param leaseSeconds a claimed chunk not done within this is claimed again (its instance
   *     stopped)
   * @param tickMs how often an instance looks for due chunks
   */
  public record RoundConfig(
      boolean enabled,
      double periodHours,
      int chunkSize,
      int concurrency,
      int companiesPerTransaction,
      long leaseSeconds,
      long tickMs) {
    public RoundConfig {
      require(periodHours > 0, "monitoring.rounds.periodHours must be > 0");
      require(chunkSize > 0, "monitoring.rounds.chunkSize must be > 0");
      require(concurrency > 0, "monitoring.rounds.concurrency must be > 0");
      require(companiesPerTransaction > 0, "monitoring.rounds.companiesPerTransaction must be > 0");
      require(leaseSeconds > 0, "monitoring.rounds.leaseSeconds must be > 0");
      require(tickMs > 0, "monitoring.rounds.tickMs must be > 0");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
