package io.scoregate.app;

/** Configuration key {@code instance}: the name of this process in the journal and the logs. */
public record InstanceConfig(String id) {
  /**
   * The stable name of this process: the configured id, else the host name (the pod name on
   * Kubernetes) and HTTP port. The caller looks the host name up: a config record does no I/O.
   */
  public String resolvedId(int httpPort, java.util.function.Supplier<String> hostName) {
    if (id != null && !id.isBlank()) {
      return id;
    }
    return hostName.get() + ":" + httpPort;
  }
}
