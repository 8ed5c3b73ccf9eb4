package io.scoregate.edge;

import io.scoregate.http.Principal;
import java.util.Set;

/**
 * Who made the current request: the tenant, the credential it used (a key id or a token's issuer
 * and subject, never the secret itself) and the scopes that credential grants.
 */
public record Caller(Tenant tenant, String credentialId, Set<String> scopes) implements Principal {

  @Override
  public String tenantId() {
    return tenant.id();
  }
}
