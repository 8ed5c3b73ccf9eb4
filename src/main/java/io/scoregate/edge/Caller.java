package io.scoregate.edge;

/** Who made the current request: the tenant and the credential it used (a key id, never a key). */
public record Caller(Tenant tenant, String credentialId) {}
