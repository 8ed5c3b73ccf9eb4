package io.scoregate.http;

/**
 * Who an authenticated request is from, as far as the HTTP layer needs it: the tenant and the
 * credential it used (a key id or a token's issuer and subject, never a secret). The edge puts its
 * own richer caller on the {@link RequestContext}.
 */
public interface Principal {

  String tenantId();

  String credentialId();
}
