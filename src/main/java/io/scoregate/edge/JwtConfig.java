package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

import java.util.List;

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
      require(alg.equals("RS256") || alg.equals("ES256"), "edge.jwt.algorithms: RS256, ES256 only");
    }
    issuers = List.copyOf(issuers);
  }
}
