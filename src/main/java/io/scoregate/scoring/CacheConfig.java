package io.scoregate.scoring;

import static io.scoregate.config.ConfigCheck.require;

/** Configuration key {@code cache}: the score cache (size, lifetime, unknown companies). */
public record CacheConfig(long maxSize, long ttlSeconds, long negativeTtlSeconds) {
  public CacheConfig {
    require(maxSize > 0, "cache.maxSize must be > 0");
    require(ttlSeconds > 0, "cache.ttlSeconds must be > 0");
    require(negativeTtlSeconds > 0, "cache.negativeTtlSeconds must be > 0");
  }
}
