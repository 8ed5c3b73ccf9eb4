package io.scoregate.edge;

import java.util.List;
import java.util.Set;

/**
 * A partner of the service: its plan (rate per second with a burst, monthly quota), the networks it
 * may call from (empty: any), and its scopes ({@code scoring}, {@code admin}: the administration of
 * its own keys). {@code platform} marks the operator's own tenant, whose API keys administer every
 * tenant and the model registry: set only from the command line, never through the API.
 */
public record Tenant(
    String id,
    String name,
    int ratePerSecond,
    int burst,
    long monthlyQuota,
    List<Cidr> allowList,
    Set<String> scopes,
    boolean disabled,
    boolean platform) {

  /** The same tenant, with or without the platform role. */
  public Tenant withPlatform(boolean on) {
    return new Tenant(
        id, name, ratePerSecond, burst, monthlyQuota, allowList, scopes, disabled, on);
  }

  public boolean allows(String ip) {
    if (allowList.isEmpty()) {
      return true;
    }
    for (Cidr cidr : allowList) {
      if (cidr.contains(ip)) {
        return true;
      }
    }
    return false;
  }
}
