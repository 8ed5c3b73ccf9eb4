package io.scoregate.edge;

import static io.scoregate.config.ConfigCheck.require;

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
