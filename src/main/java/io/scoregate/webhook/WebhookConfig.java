package io.scoregate.webhook;

import java.util.List;

/**
 * The webhook unit's configuration: secrets' encryption key, what URLs may be called, the
 * dispatcher's timeouts, bounds and retry schedule, the circuit breakers, and SMTP for the e-mail
 * digests. Every key has a documented default in {@code config/application.yaml}.
 */
public record WebhookConfig(
    boolean dispatcherEnabled,
    String secretKey,
    boolean allowHttp,
    String ssrfAllowList,
    long timeoutMs,
    long connectTimeoutMs,
    long pollMs,
    int claimBatch,
    long leaseMs,
    int maxInFlight,
    int maxInFlightPerEndpoint,
    List<Long> retryScheduleSeconds,
    double jitter,
    long maxRetryAfterSeconds,
    long disableAfterHours,
    long rotationOverlapHours,
    int responseExcerptBytes,
    long metricsRefreshMs,
    int pgPoolSize,
    BreakerConfig breaker,
    MailConfig mail) {

  /** The key shipped for development; a deployment must set its own. */
  public static final String DEVELOPMENT_KEY = "ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLWtleS0wMDA=";

  public WebhookConfig {
    require(secretKey != null && !secretKey.isBlank(), "webhook.secretKey is required");
    ssrfAllowList = ssrfAllowList == null ? "" : ssrfAllowList.trim();
    for (String cidr : allowList(ssrfAllowList)) {
      try {
        io.scoregate.edge.Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid configuration: webhook.ssrfAllowList: " + e.getMessage());
      }
    }
    require(timeoutMs > 0, "webhook.timeoutMs must be > 0");
    require(connectTimeoutMs > 0, "webhook.connectTimeoutMs must be > 0");
    require(pollMs > 0, "webhook.pollMs must be > 0");
    require(claimBatch > 0, "webhook.claimBatch must be > 0");
    // A claimed message may wait for one delivery of its endpoint before its own: the lease
    // covers both, so no other dispatcher takes it while this one still may send it.
    require(
        leaseMs > 2 * (timeoutMs + connectTimeoutMs),
        "webhook.leaseMs must exceed twice webhook.timeoutMs + webhook.connectTimeoutMs");
    require(maxInFlight > 0, "webhook.maxInFlight must be > 0");
    require(maxInFlightPerEndpoint > 0, "webhook.maxInFlightPerEndpoint must be > 0");
    require(
        retryScheduleSeconds != null && !retryScheduleSeconds.isEmpty(),
        "webhook.retryScheduleSeconds needs at least one delay");
    retryScheduleSeconds = List.copyOf(retryScheduleSeconds);
    require(jitter >= 0 && jitter < 1, "webhook.jitter must be in [0, 1)");
    require(maxRetryAfterSeconds > 0, "webhook.maxRetryAfterSeconds must be > 0");
    require(disableAfterHours > 0, "webhook.disableAfterHours must be > 0");
    require(rotationOverlapHours >= 0, "webhook.rotationOverlapHours must be >= 0");
    require(
        responseExcerptBytes >= 0 && responseExcerptBytes <= 1024,
        "webhook.responseExcerptBytes must be 0..1024");
    require(metricsRefreshMs > 0, "webhook.metricsRefreshMs must be > 0");
    require(pgPoolSize > 0, "webhook.pgPoolSize must be > 0");
    require(breaker != null, "webhook.breaker is required");
    require(mail != null, "webhook.mail is required");
  }

  /** The allow-listed networks: {@code ssrfAllowList} is comma-separated (one variable sets it). */
  public List<String> allowList() {
    return allowList(ssrfAllowList);
  }

  private static List<String> allowList(String text) {
    return java.util.Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "WebhookConfig[timeoutMs=" + timeoutMs + ", allowHttp=" + allowHttp + "]";
  }

  /** resilience4j circuit breaker, one per endpoint and instance. */
  public record BreakerConfig(
      float failureRateThreshold, int slidingWindowSize, int minimumCalls, long openSeconds) {
    public BreakerConfig {
      require(
          failureRateThreshold > 0 && failureRateThreshold <= 100,
          "webhook.breaker.failureRateThreshold must be in (0, 100]");
      require(slidingWindowSize > 0, "webhook.breaker.slidingWindowSize must be > 0");
      require(minimumCalls > 0, "webhook.breaker.minimumCalls must be > 0");
      require(openSeconds > 0, "webhook.breaker.openSeconds must be > 0");
    }
  }

  /** SMTP for the e-mail digests and the endpoint owners' notices. */
  public record MailConfig(
      boolean enabled,
      String host,
      int port,
      String username,
      String password,
      String startTls,
      boolean ssl,
      String from,
      long digestCheckMs) {
    public MailConfig {
      require(port > 0 && port <= 65535, "webhook.mail.port must be 1..65535");
      require(
          List.of("DISABLED", "OPTIONAL", "REQUIRED").contains(startTls),
          "webhook.mail.startTls: DISABLED, OPTIONAL or REQUIRED");
      require(from != null && from.contains("@"), "webhook.mail.from must be an address");
      require(digestCheckMs > 0, "webhook.mail.digestCheckMs must be > 0");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "MailConfig[" + host + ":" + port + ", enabled=" + enabled + "]";
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
