package io.scoregate.http;

import static io.scoregate.config.ConfigCheck.require;

/** HTTPS from PEM files: a private key and its certificate chain. */
public record TlsConfig(boolean enabled, String certPath, String keyPath) {
  public TlsConfig {
    require(
        !enabled
            || (certPath != null && !certPath.isBlank() && keyPath != null && !keyPath.isBlank()),
        "http.tls.certPath and http.tls.keyPath are required when http.tls.enabled is true");
  }
}
