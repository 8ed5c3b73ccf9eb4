package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

/** Redis: rate-limit counters only, so losing it degrades limits but loses no data. */
public record RedisConfig(
    String host,
    int port,
    int maxPoolSize,
    int maxPoolWaiting,
    long timeoutMs,
    double fallbackShare,
    long breakerOpenMs) {
  public RedisConfig {
    require(maxPoolSize > 0, "redis.maxPoolSize must be > 0");
    require(maxPoolWaiting > 0, "redis.maxPoolWaiting must be > 0");
    require(timeoutMs > 0, "redis.timeoutMs must be > 0");
    require(fallbackShare > 0 && fallbackShare <= 1, "redis.fallbackShare must be in (0, 1]");
    require(breakerOpenMs > 0, "redis.breakerOpenMs must be > 0");
  }
}
