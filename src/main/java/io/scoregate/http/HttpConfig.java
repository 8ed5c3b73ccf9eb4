package io.scoregate.http;

import static io.scoregate.config.ConfigCheck.require;

/**
 * Configuration key {@code http}: the listener, body limit, request timeout, slow-client timeouts,
 * the {@code Retry-After} of a 503, and shutdown.
 */
public record HttpConfig(
    String host,
    int port,
    int instances,
    long bodyLimitBytes,
    long requestTimeoutMs,
    long requestHeaderTimeoutMs,
    long idleTimeoutMs,
    int retryAfterSeconds,
    boolean accessLog,
    long shutdownGraceMs,
    long shutdownCloseMs,
    TlsConfig tls) {
  public HttpConfig {
    require(port >= 0 && port <= 65535, "http.port must be 0..65535");
    require(shutdownCloseMs > 0, "http.shutdownCloseMs must be > 0");
    require(
        shutdownGraceMs > shutdownCloseMs,
        "http.shutdownGraceMs must be larger than http.shutdownCloseMs");
    require(instances >= 0, "http.instances must be >= 0");
    require(bodyLimitBytes > 0, "http.bodyLimitBytes must be > 0");
    require(requestTimeoutMs > 0, "http.requestTimeoutMs must be > 0");
    require(requestHeaderTimeoutMs > 0, "http.requestHeaderTimeoutMs must be > 0");
    require(idleTimeoutMs > 0, "http.idleTimeoutMs must be > 0");
    require(retryAfterSeconds > 0, "http.retryAfterSeconds must be > 0");
  }

  /** How long calls in flight may run on at shutdown: the grace less the time to close. */
  public long shutdownDrainMs() {
    return shutdownGraceMs - shutdownCloseMs;
  }
}
