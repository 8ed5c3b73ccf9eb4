package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

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
