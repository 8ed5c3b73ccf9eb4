package io.scoregate.edge;

import io.scoregate.http.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who made the current request: the tenant, the credential it used (a key id or a token's issuer
 * and subject, never the secret itself) and the scopes that credential grants: never more than the
 * tenant's own.
 */
public record Caller(Tenant tenant, String credentialId, Set<String> scopes) implements Principal {

  /** The role of platform administration: every tenant, the model registry. */
  public static final String PLATFORM = "platform";

  /**
   * A caller by API key: the tenant's scopes, and the platform role when the tenant holds it (an
   * API key is the only credential that can carry that role), which includes {@code admin}.
   */
  public static Caller byApiKey(Tenant tenant, String keyId) {
    Set<String> scopes = new LinkedHashSet<>(tenant.scopes());
    scopes.remove(PLATFORM);
    if (tenant.platform()) {
      scopes.add(PLATFORM);
      scopes.add("admin");
    }
    return new Caller(tenant, keyId, Set.copyOf(scopes));
  }

  /**
   * A caller by bearer token: the scopes the token claims that its tenant also has, so that a token
   * never grants more than the tenant may; never the platform role, whatever the token says.
   */
  public static Caller byToken(Tenant tenant, String credentialId, Set<String> claimed) {
    Set<String> scopes = new LinkedHashSet<>(claimed);
    scopes.retainAll(tenant.scopes());
    scopes.remove(PLATFORM);
    return new Caller(tenant, credentialId, Set.copyOf(scopes));
  }

  public boolean platform() {
    return scopes.contains(PLATFORM);
  }

  @Override
  public String tenantId() {
    return tenant.id();
  }
}
