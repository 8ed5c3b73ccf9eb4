package io.scoregate.app;

/** Configuration key {@code instance}: the name of this process in the journal and the logs. */
public record InstanceConfig(String id) {
  /**
   * The stable name of this process: the configured id, else host name (the pod name on Kubernetes)
   * and HTTP port.
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
