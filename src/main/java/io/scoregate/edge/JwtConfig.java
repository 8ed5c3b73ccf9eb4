package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

import java.util.List;

/** OAuth2 bearer tokens (JWT) from trusted issuers. */
public record JwtConfig(
    long leewaySeconds,
    List<String> algorithms,
    long jwksRefreshMinSeconds,
    long jwksTimeoutMs,
    int jwksMaxBytes,
    List<IssuerConfig> issuers) {
  public JwtConfig {
    require(leewaySeconds >= 0, "edge.jwt.leewaySeconds must be >= 0");
    require(jwksRefreshMinSeconds > 0, "edge.jwt.jwksRefreshMinSeconds must be > 0");
    require(jwksTimeoutMs > 0, "edge.jwt.jwksTimeoutMs must be > 0");
    require(jwksMaxBytes > 0, "edge.jwt.jwksMaxBytes must be > 0");
    algorithms = List.copyOf(algorithms);
    for (String alg : algorithms) {
      require(alg.equals("RS256") || alg.equals("ES256"), "edge.jwt.algorithms: RS256, ES256 only");
    }
    issuers = List.copyOf(issuers);
  }

  /** The issuers whose tokens are accepted: those a tenant may be bound to. */
  public java.util.Set<String> trustedIssuers() {
    return issuers.stream()
        .filter(IssuerConfig::enabled)
        .map(IssuerConfig::issuer)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
