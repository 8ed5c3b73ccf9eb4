package io.scoregate.edge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Tenants and API keys in Postgres. */
public final class TenantRepository {

  /** A stored key with its tenant; {@code revoked} keys never authenticate. */
  public record StoredKey(String id, Tenant tenant, byte[] secretHash, boolean revoked) {}

  private static final String TENANT_COLUMNS =
      "t.id, t.name, t.rate_per_second, t.burst, t.monthly_quota, t.ip_allow_list::text[],"
          + " t.scopes, t.disabled_at IS NOT NULL, t.platform";

  private static final String KEY_SQL =
      "SELECT k.id, k.secret_hash, k.revoked_at IS NOT NULL, "
          + TENANT_COLUMNS
          + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.id = $1";

  private final SqlClient client;

  public TenantRepository(SqlClient client) {
    this.client = client;
  }

  /** The key with this id, or null. */
  public Future<StoredKey> key(String id) {
    return client
        .preparedQuery(KEY_SQL)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new StoredKey(
                  r.getString(0), tenant(r, 3), r.getBuffer(1).getBytes(), r.getBoolean(2));
            });
  }

  public Future<Tenant> tenant(String id) {
    return client
        .preparedQuery("SELECT " + TENANT_COLUMNS + " FROM tenants t WHERE t.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : tenant(rows.iterator().next(), 0));
  }

  /** Creates the tenant, or fails with {@link TenantExistsException}. */
  public Future<Tenant> create(Tenant t) {
    return client
        .preparedQuery(
            "INSERT INTO tenants (id, name, rate_per_second, burst, monthly_quota, ip_allow_list,"
                + " scopes, platform) VALUES ($1, $2, $3, $4, $5, $6::text[]::cidr[], $7, $8)")
        .execute(columns(t).addBoolean(t.platform()))
        .recover(
            e ->
                e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? Future.failedFuture(new TenantExistsException(t.id()))
                    : Future.failedFuture(e))
        .map(t);
  }

  /** Updates the plan, networks and scopes of an existing tenant (the demo tenant's settings). */
  public Future<Void> update(Tenant t) {
    return client
        .preparedQuery(
            "UPDATE tenants SET name = $2, rate_per_second = $3, burst = $4, monthly_quota = $5,"
                + " ip_allow_list = $6::text[]::cidr[], scopes = $7 WHERE id = $1")
        .execute(columns(t))
        .mapEmpty();
  }

  /** The tenant's columns in the order of the insert and update statements. */
  private static Tuple columns(Tenant t) {
    return Tuple.of(
        t.id(),
        t.name(),
        t.ratePerSecond(),
        t.burst(),
        t.monthlyQuota(),
        t.allowList().stream().map(Cidr::toString).toArray(String[]::new),
        t.scopes().toArray(String[]::new));
  }

  /**
   * The tenant that this issuer's client id speaks for, or null: a token acts for a tenant only
   * through such a binding.
   */
  public Future<Tenant> tenantBoundTo(String issuer, String clientId) {
    return client
        .preparedQuery(
            "SELECT "
                + TENANT_COLUMNS
                + " FROM tenant_issuers b JOIN tenants t ON t.id = b.tenant_id"
                + " WHERE b.issuer = $1 AND b.client_id = $2")
        .execute(Tuple.of(issuer, clientId))
        .map(rows -> rows.size() == 0 ? null : tenant(rows.iterator().next(), 0));
  }

  /**
   * Lets this issuer's client id speak for the tenant; idempotent. Fails with {@link
   * IssuerBoundException} when the client id already speaks for another tenant.
   */
  public Future<Void> bindIssuer(String tenantId, String issuer, String clientId) {
    return client
        .preparedQuery(
            "INSERT INTO tenant_issuers (issuer, client_id, tenant_id) VALUES ($1, $2, $3)"
                + " ON CONFLICT (issuer, client_id) DO UPDATE SET tenant_id = excluded.tenant_id"
                + " WHERE tenant_issuers.tenant_id = excluded.tenant_id RETURNING tenant_id")
        .execute(Tuple.of(issuer, clientId, tenantId))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new IssuerBoundException(issuer, clientId)));
  }

  /** Removes a binding; true when it existed. */
  public Future<Boolean> unbindIssuer(String tenantId, String issuer, String clientId) {
    return client
        .preparedQuery(
            "DELETE FROM tenant_issuers WHERE tenant_id = $1 AND issuer = $2 AND client_id = $3")
        .execute(Tuple.of(tenantId, issuer, clientId))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<List<JsonObject>> issuers(String tenantId) {
    return client
        .preparedQuery(
            "SELECT issuer, client_id, created_at FROM tenant_issuers WHERE tenant_id = $1"
                + " ORDER BY issuer, client_id")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<JsonObject> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("issuer", r.getString(0))
                        .put("client_id", r.getString(1))
                        .put("created_at", r.getOffsetDateTime(2).toInstant().toString()));
              }
              return out;
            });
  }

  public Future<Void> insertKey(String id, String tenantId, byte[] hash, String label) {
    return client
        .preparedQuery(
            "INSERT INTO api_keys (id, tenant_id, secret_hash, label) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (id) DO UPDATE SET revoked_at = NULL"
                + " WHERE api_keys.secret_hash = excluded.secret_hash"
                + " AND api_keys.tenant_id = excluded.tenant_id")
        .execute(Tuple.of(id, tenantId, Buffer.buffer(hash), label))
        .mapEmpty();
  }

  /** Revokes a key; true when it existed and was active. */
  public Future<Boolean> revoke(String keyId, String tenantId) {
    return client
        .preparedQuery(
            "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2"
                + " AND revoked_at IS NULL")
        .execute(Tuple.of(keyId, tenantId))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Integer> revokeAll(String tenantId, String label) {
    return client
        .preparedQuery(
            "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND label = $2"
                + " AND revoked_at IS NULL")
        .execute(Tuple.of(tenantId, label))
        .map(rows -> rows.rowCount());
  }

  public Future<List<JsonObject>> keys(String tenantId) {
    return client
        .preparedQuery(
            "SELECT id, label, created_at, revoked_at FROM api_keys WHERE tenant_id = $1"
                + " ORDER BY created_at")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<JsonObject> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("id", r.getString(0))
                        .put("label", r.getString(1))
                        .put("created_at", r.getOffsetDateTime(2).toInstant().toString())
                        .put(
                            "revoked_at",
                            r.getOffsetDateTime(3) == null
                                ? null
                                : r.getOffsetDateTime(3).toInstant().toString()));
              }
              return out;
            });
  }

  private static Tenant tenant(Row r, int at) {
    List<Cidr> allow = new ArrayList<>();
    for (String c : r.getArrayOfStrings(at + 5)) {
      allow.add(Cidr.parse(c));
    }
    return new Tenant(
        r.getString(at),
        r.getString(at + 1),
        r.getInteger(at + 2),
        r.getInteger(at + 3),
        r.getLong(at + 4),
        List.copyOf(allow),
        new LinkedHashSet<>(List.of(r.getArrayOfStrings(at + 6))),
        r.getBoolean(at + 7),
        r.getBoolean(at + 8));
  }
}
