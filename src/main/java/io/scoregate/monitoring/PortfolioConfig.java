package io.scoregate.monitoring;

/**
 * Portfolio monitoring's settings (section {@code portfolios} of the configuration).
 *
 * @param poolSize Postgres connections for portfolio writes and alert evaluation in transactions
 * @param uploadMaxLines lines one member upload may hold (the header of a CSV not counted)
 * @param uploadBatchLines lines written per transaction during an upload
 * @param uploadTimeoutMs how long one upload may run, from its first byte to its summary
 * @param pageDefault items per page when {@code limit} is not given
 * @param pageMax the largest {@code limit} a listing accepts
 * @param moversMaxDays the widest window {@code movers?days=} accepts
 * @param demoMembers companies the demo tenant's demo portfolio holds
 */
public record PortfolioConfig(
    int poolSize,
    int uploadMaxLines,
    int uploadBatchLines,
    long uploadTimeoutMs,
    int pageDefault,
    int pageMax,
    int moversMaxDays,
    int demoMembers) {

  public PortfolioConfig {
    require(poolSize > 0, "portfolios.poolSize must be > 0");
    require(uploadMaxLines > 0, "portfolios.uploadMaxLines must be > 0");
    require(uploadBatchLines > 0, "portfolios.uploadBatchLines must be > 0");
    require(uploadTimeoutMs > 0, "portfolios.uploadTimeoutMs must be > 0");
    require(pageDefault > 0 && pageDefault <= pageMax, "portfolios.pageDefault must be 1..pageMax");
    require(moversMaxDays > 0, "portfolios.moversMaxDays must be > 0");
    require(demoMembers >= 0, "portfolios.demoMembers must be >= 0");
  }

  /** The documented defaults, for tools and tests that have no configuration file. */
  public static PortfolioConfig defaults() {
    return new PortfolioConfig(4, 1_000_000, 1000, 3_600_000, 100, 1000, 365, 3000);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
