package io.scoregate.webhook;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Webhook endpoints in Postgres. Every read a tenant makes names its tenant. */
final class EndpointRepository {

  private static final String COLUMNS =
      "id, tenant_id, url, description, event_types, portfolio_id, owner_email, enabled,"
          + " disabled_reason, secret_enc, previous_secret_enc, previous_secret_until,"
          + " failing_since, created_at, updated_at";

  private final SqlClient client;

  EndpointRepository(SqlClient client) {
    this.client = client;
  }

  Future<Endpoint> insert(Endpoint e) {
    return client
        .preparedQuery(
            "INSERT INTO webhook_endpoints ("
                + COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                + " RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  e.id(),
                  e.tenantId(),
                  e.url(),
                  e.description(),
                  e.eventTypes().toArray(String[]::new),
                  e.portfolioId(),
                  e.ownerEmail(),
                  e.enabled(),
                  e.disabledReason(),
                  Buffer.buffer(e.secretEnc()),
                  null,
                  null,
                  null,
                  time(e.createdAt()),
                  time(e.updatedAt())
                }))
        .map(rows -> endpoint(rows.iterator().next()));
  }

  /** The tenant's endpoint, or null (also when it is another tenant's). */
  Future<Endpoint> find(String tenantId, UUID id) {
    return client
        .preparedQuery(
            "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
  }

  /** For the dispatcher, which works across tenants. */
  Future<Endpoint> byId(UUID id) {
    return client
        .preparedQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
  }

  Future<List<Endpoint>> list(String tenantId) {
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<Endpoint> out = new ArrayList<>();
              rows.forEach(r -> out.add(endpoint(r)));
              return out;
            });
  }

  /** Writes the changeable fields of an endpoint the tenant owns; null when it has none such. */
  Future<Endpoint> update(Endpoint e) {
    return client
        .preparedQuery(
            "UPDATE webhook_endpoints SET url = $3, description = $4, event_types = $5,"
                + " portfolio_id = $6, owner_email = $7, enabled = $8, disabled_reason = $9,"
                + " failing_since = CASE WHEN $8 AND NOT enabled THEN NULL ELSE failing_since END,"
                + " updated_at = $10 WHERE id = $1 AND tenant_id = $2 RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  e.id(),
                  e.tenantId(),
                  e.url(),
                  e.description(),
                  e.eventTypes().toArray(String[]::new),
                  e.portfolioId(),
                  e.ownerEmail(),
                  e.enabled(),
                  e.disabledReason(),
                  time(e.updatedAt())
                }))
        .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
  }

  Future<Boolean> delete(String tenantId, UUID id) {
    return client
        .preparedQuery("DELETE FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The new secret signs from now on; the current one also until {@code previousUntil}. */
  Future<Endpoint> rotate(
      String tenantId, UUID id, byte[] newSecret, Instant previousUntil, Instant now) {
    return client
        .preparedQuery(
            "UPDATE webhook_endpoints SET previous_secret_enc = secret_enc,"
                + " previous_secret_until = $4, secret_enc = $3, updated_at = $5"
                + " WHERE id = $1 AND tenant_id = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, tenantId, Buffer.buffer(newSecret), time(previousUntil), time(now)))
        .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
  }

  /** Disabled by the dispatcher (gone, failing): its pending messages are dead letters. */
  Future<Void> disable(SqlClient tx, UUID id, String reason, Instant now) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $2, updated_at = $3"
                + " WHERE id = $1")
        .execute(Tuple.of(id, reason, time(now)))
        .compose(
            ignored ->
                tx.preparedQuery(
                        "UPDATE webhook_messages SET status = 'dead', claim_id = NULL,"
                            + " last_error = $2 WHERE endpoint_id = $1 AND status = 'pending'")
                    .execute(Tuple.of(id, "endpoint disabled: " + reason)))
        .mapEmpty();
  }

  /** Records a failure; the answer is since when the endpoint has failed without a success. */
  Future<Instant> failed(SqlClient tx, UUID id, Instant now) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2)"
                + " WHERE id = $1 RETURNING failing_since")
        .execute(Tuple.of(id, time(now)))
        .map(
            rows ->
                rows.size() == 0 ? now : rows.iterator().next().getOffsetDateTime(0).toInstant());
  }

  Future<Void> succeeded(SqlClient tx, UUID id) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET failing_since = NULL"
                + " WHERE id = $1 AND failing_since IS NOT NULL")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /**
   * The enabled endpoints of a tenant that take this event type, for this portfolio (those with no
   * portfolio filter take every portfolio's; a null portfolio: every endpoint); read in the
   * caller's transaction.
   */
  static Future<List<Endpoint>> subscribers(
      SqlClient tx, String tenantId, String eventType, UUID portfolioId) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE tenant_id = $1 AND enabled AND $2 = ANY(event_types)"
                + " AND ($3::uuid IS NULL OR portfolio_id IS NULL OR portfolio_id = $3)")
        .execute(Tuple.of(tenantId, eventType, portfolioId))
        .map(
            rows -> {
              List<Endpoint> out = new ArrayList<>();
              rows.forEach(r -> out.add(endpoint(r)));
              return out;
            });
  }

  static Endpoint endpoint(Row r) {
    return new Endpoint(
        r.getUUID(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        Arrays.asList(r.getArrayOfStrings(4)),
        r.getUUID(5),
        r.getString(6),
        r.getBoolean(7),
        r.getString(8),
        r.getBuffer(9).getBytes(),
        r.getBuffer(10) == null ? null : r.getBuffer(10).getBytes(),
        instant(r.getOffsetDateTime(11)),
        instant(r.getOffsetDateTime(12)),
        instant(r.getOffsetDateTime(13)),
        instant(r.getOffsetDateTime(14)));
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
