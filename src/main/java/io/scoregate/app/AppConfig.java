package io.scoregate.app;

import java.util.List;
import java.util.Objects;

/**
 * The whole configuration, parsed and validated once at start from {@code config/*.yaml} with
 * environment overrides, then passed down through constructors.
 */
public record AppConfig(
    InstanceConfig instance,
    HttpConfig http,
    EdgeConfig edge,
    RedisConfig redis,
    IdempotencyConfig idempotency,
    PgConfig pg,
    ModelConfig model,
    CacheConfig cache,
    JournalConfig journal,
    PolicyConfig policy,
    io.scoregate.webhook.WebhookConfig webhook) {

  public AppConfig {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(idempotency, "idempotency");
    Objects.requireNonNull(pg, "pg");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(webhook, "webhook");
  }

  public record InstanceConfig(String id) {
    /**
     * The stable name of this process: the configured id, else host name (the pod name on
     * Kubernetes) and HTTP port.
     */
    public String resolvedId(int httpPort) {
      if (id != null && !id.isBlank()) {
        return id;
      }
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "localhost";
      }
      return host + ":" + httpPort;
    }
  }

  public record HttpConfig(
      String host,
      int port,
      int instances,
      long bodyLimitBytes,
      long requestTimeoutMs,
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
    }

    /** How long calls in flight may run on at shutdown: the grace less the time to close. */
    public long shutdownDrainMs() {
      return shutdownGraceMs - shutdownCloseMs;
    }

    public HttpConfig withPort(int newPort) {
      return new HttpConfig(
          host,
          newPort,
          instances,
          bodyLimitBytes,
          requestTimeoutMs,
          accessLog,
          shutdownGraceMs,
          shutdownCloseMs,
          tls);
    }
  }

  /** OAuth2 bearer tokens (JWT) from trusted issuers. */
  public record JwtConfig(
      long leewaySeconds,
      List<String> algorithms,
      long jwksRefreshMinSeconds,
      List<IssuerConfig> issuers) {
    public JwtConfig {
      require(leewaySeconds >= 0, "edge.jwt.leewaySeconds must be >= 0");
      require(jwksRefreshMinSeconds > 0, "edge.jwt.jwksRefreshMinSeconds must be > 0");
      algorithms = List.copyOf(algorithms);
      for (String alg : algorithms) {
        require(
            alg.equals("RS256") || alg.equals("ES256"), "edge.jwt.algorithms: RS256, ES256 only");
      }
      issuers = List.copyOf(issuers);
    }
  }

  /** One trusted token issuer; its keys come from a JWKS file or URL. */
  public record IssuerConfig(
      boolean enabled,
      String issuer,
      String audience,
      String jwksPath,
      String jwksUrl,
      String tenantClaim) {
    public IssuerConfig {
      require(
          !enabled
              || (issuer != null && !issuer.isBlank() && audience != null && !audience.isBlank()),
          "an enabled edge.jwt issuer needs issuer and audience");
      require(
          !enabled
              || (jwksPath != null && !jwksPath.isBlank())
              || (jwksUrl != null && !jwksUrl.isBlank()),
          "an enabled edge.jwt issuer needs jwksPath or jwksUrl");
    }
  }

  /** HTTPS from PEM files: a private key and its certificate chain. */
  public record TlsConfig(boolean enabled, String certPath, String keyPath) {
    public TlsConfig {
      require(
          !enabled
              || (certPath != null && !certPath.isBlank() && keyPath != null && !keyPath.isBlank()),
          "http.tls.certPath and http.tls.keyPath are required when http.tls.enabled is true");
    }
  }

  /** Who may call: API key verification. */
  public record EdgeConfig(
      boolean enabled, String apiKeyPepper, long keyCacheSeconds, JwtConfig jwt) {
    /** The pepper shipped for development; a deployment must set its own. */
    public static final String DEVELOPMENT_PEPPER = "development-only-pepper-change-me";

    public EdgeConfig {
      require(
          apiKeyPepper != null && apiKeyPepper.length() >= 16,
          "edge.apiKeyPepper needs at least 16 characters");
      require(keyCacheSeconds > 0, "edge.keyCacheSeconds must be > 0");
    }

    /** Never prints the pepper. */
    @Override
    public String toString() {
      return "EdgeConfig[enabled=" + enabled + ", keyCacheSeconds=" + keyCacheSeconds + "]";
    }
  }

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

  /** How long an Idempotency-Key replays its first answer. */
  public record IdempotencyConfig(long ttlHours) {
    public IdempotencyConfig {
      require(ttlHours > 0, "idempotency.ttlHours must be > 0");
    }
  }

  public record PgConfig(
      String host,
      int port,
      String database,
      String user,
      String password,
      int maxPoolSize,
      int pipeliningLimit,
      int connectTimeoutMs,
      long statementTimeoutMs,
      boolean migrateOnStart) {
    public PgConfig {
      require(maxPoolSize > 0, "pg.maxPoolSize must be > 0");
      require(pipeliningLimit > 0, "pg.pipeliningLimit must be > 0");
      require(connectTimeoutMs > 0, "pg.connectTimeoutMs must be > 0");
      require(statementTimeoutMs > 0, "pg.statementTimeoutMs must be > 0");
    }

    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "PgConfig[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
  }

  public record ModelConfig(
      String path,
      long requestTimeoutMs,
      int maxReasons,
      long registryPollMs,
      int shadowMaxPending,
      int shadowBatchRows,
      long shadowFlushMs) {
    public ModelConfig {
      require(requestTimeoutMs > 0, "model.requestTimeoutMs must be > 0");
      require(maxReasons > 0, "model.maxReasons must be > 0");
      require(registryPollMs > 0, "model.registryPollMs must be > 0");
      require(shadowMaxPending > 0, "model.shadowMaxPending must be > 0");
      require(shadowBatchRows > 0, "model.shadowBatchRows must be > 0");
      require(shadowFlushMs > 0, "model.shadowFlushMs must be > 0");
    }
  }

  public record CacheConfig(long maxSize, long ttlSeconds, long negativeTtlSeconds) {
    public CacheConfig {
      require(maxSize > 0, "cache.maxSize must be > 0");
      require(ttlSeconds > 0, "cache.ttlSeconds must be > 0");
      require(negativeTtlSeconds > 0, "cache.negativeTtlSeconds must be > 0");
    }
  }

  public record JournalConfig(int maxBatchRows, int partitionsAhead) {
    public JournalConfig {
      require(maxBatchRows > 0, "journal.maxBatchRows must be > 0");
      require(partitionsAhead >= 0, "journal.partitionsAhead must be >= 0");
    }
  }

  public record PolicyConfig(
      String version,
      double pdAtScore100,
      double pdAtScore0,
      List<RiskLevelConfig> levels,
      double maxAmountCap,
      double amountRounding,
      int incidentLookbackMonths,
      int incidentNotches,
      String overLimitRecommendation,
      double maxRequestAmount,
      int maxRequestPaymentTermDays) {
    public PolicyConfig {
      require(version != null && !version.isBlank(), "policy.version is required");
      require(
          pdAtScore100 > 0 && pdAtScore100 < pdAtScore0 && pdAtScore0 < 1,
          "policy needs 0 < pdAtScore100 < pdAtScore0 < 1");
      require(levels != null && !levels.isEmpty(), "policy.levels is required");
      levels = List.copyOf(levels);
      for (int i = 1; i < levels.size(); i++) {
        require(
            levels.get(i).minScore() < levels.get(i - 1).minScore(),
            "policy.levels must be ordered by decreasing minScore");
      }
      require(
          levels.get(levels.size() - 1).minScore() == 0, "the last policy level needs minScore 0");
      require(amountRounding > 0, "policy.amountRounding must be > 0");
      require(incidentNotches >= 0, "policy.incidentNotches must be >= 0");
      require(maxRequestAmount > 0, "policy.maxRequestAmount must be > 0");
      require(maxRequestPaymentTermDays > 0, "policy.maxRequestPaymentTermDays must be > 0");
    }
  }

  public record RiskLevelConfig(
      String name,
      int minScore,
      String recommendation,
      int maxPaymentTermDays,
      double creditShareOfMonthlySales,
      double creditShareOfEquity) {
    public RiskLevelConfig {
      require(name != null && !name.isBlank(), "a policy level needs a name");
      require(minScore >= 0 && minScore <= 100, "policy level minScore must be 0..100");
      require(maxPaymentTermDays >= 0, "policy level maxPaymentTermDays must be >= 0");
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
