package io.scoregate.edge;

import java.util.List;
import java.util.Set;

/**
 * A partner of the service: its plan (rate per second with a burst, monthly quota), the networks it
 * may call from (empty: any), and its scopes ({@code scoring}, {@code admin}).
 */
public record Tenant(
    String id,
    String name,
    int ratePerSecond,
    int burst,
    long monthlyQuota,
    List<Cidr> allowList,
    Set<String> scopes,
    boolean disabled) {

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
