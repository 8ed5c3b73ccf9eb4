package io.scoregate.webhook;

import static io.scoregate.webhook.EndpointRepository.instant;
import static io.scoregate.webhook.EndpointRepository.time;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The outbox in Postgres: messages written in their cause's transaction, claimed by dispatchers
 * with {@code FOR UPDATE SKIP LOCKED} under a lease, their attempts, replays and statistics.
 */
final class OutboxRepository {

  private static final String MESSAGE_COLUMNS =
      "m.id, m.tenant_id, m.channel, m.endpoint_id, m.event_type, m.payload, m.attempts,"
          + " m.created_at, m.claim_id";

  /**
   * Due messages, at most {@code $4} per endpoint (mails count as one endpoint), none of the
   * endpoints this dispatcher has no room for or whose circuit is open, none of a disabled
   * endpoint; locked rows another dispatcher is claiming are skipped, and the status and due time
   * are checked again on the locked row. The lease is the new due time: if this dispatcher dies,
   * the message is due again when the lease ends.
   */
  private static final String CLAIM_SQL =
      "WITH candidates AS ("
          + " SELECT m.id, m.next_attempt_at, row_number() OVER"
          + " (PARTITION BY m.endpoint_id ORDER BY m.next_attempt_at) AS rank"
          + " FROM webhook_messages m LEFT JOIN webhook_endpoints e ON e.id = m.endpoint_id"
          + " WHERE m.status = 'pending' AND m.next_attempt_at <= $1"
          + " AND (m.endpoint_id IS NULL OR (e.enabled AND m.endpoint_id <> ALL($2::uuid[])))"
          + " AND (m.channel = 'webhook' OR $3)),"
          + " picked AS (SELECT m.id FROM webhook_messages m JOIN candidates c ON c.id = m.id"
          + " WHERE c.rank <= $4 AND m.status = 'pending' AND m.next_attempt_at <= $1"
          + " ORDER BY c.next_attempt_at LIMIT $5 FOR UPDATE OF m SKIP LOCKED)"
          + " UPDATE webhook_messages m SET next_attempt_at = $6, claim_id = $7"
          + " FROM picked WHERE m.id = picked.id RETURNING "
          + MESSAGE_COLUMNS;

  private final SqlClient client;

  OutboxRepository(SqlClient client) {
    this.client = client;
  }

  /** Writes messages, due now, in the caller's transaction. */
  static Future<Void> enqueue(SqlClient tx, Collection<OutboxMessage.New> messages, Instant now) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(messages.size());
    for (OutboxMessage.New m : messages) {
      rows.add(
          Tuple.from(
              new Object[] {
                OutboxMessage.newId(),
                m.tenantId(),
                m.channel(),
                m.endpointId(),
                m.eventType(),
                m.payload(),
                time(now)
              }));
    }
    return tx.preparedQuery(
            "INSERT INTO webhook_messages (id, tenant_id, channel, endpoint_id, event_type,"
                + " payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** Enqueues one message and answers its id. */
  static Future<String> enqueueOne(SqlClient tx, OutboxMessage.New m, Instant now) {
    String id = OutboxMessage.newId();
    return tx.preparedQuery(
            "INSERT INTO webhook_messages (id, tenant_id, channel, endpoint_id, event_type,"
                + " payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  m.tenantId(),
                  m.channel(),
                  m.endpointId(),
                  m.eventType(),
                  m.payload(),
                  time(now)
                }))
        .map(id);
  }

  Future<List<OutboxMessage>> claim(
      Instant now,
      Collection<UUID> excludedEndpoints,
      boolean mail,
      int perEndpoint,
      int limit,
      Instant leaseUntil) {
    UUID claimId = UUID.randomUUID();
    return client
        .preparedQuery(CLAIM_SQL)
        .execute(
            Tuple.from(
                new Object[] {
                  time(now),
                  excludedEndpoints.toArray(UUID[]::new),
                  mail,
                  perEndpoint,
                  limit,
                  time(leaseUntil),
                  claimId
                }))
        .map(
            rows -> {
              List<OutboxMessage> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new OutboxMessage(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getUUID(3),
                        r.getString(4),
                        r.getString(5),
                        r.getInteger(6),
                        instant(r.getOffsetDateTime(7)),
                        r.getUUID(8)));
              }
              out.sort(java.util.Comparator.comparing(OutboxMessage::createdAt));
              return out;
            });
  }

  /** One attempt's record; excerpt and error are already bounded. */
  record Attempt(
      String messageId,
      UUID endpointId,
      String tenantId,
      Instant at,
      Integer statusCode,
      long durationMs,
      String outcome,
      String excerpt,
      String error) {}

  static Future<Void> recordAttempt(SqlClient tx, Attempt a) {
    return tx.preparedQuery(
            "INSERT INTO webhook_attempts (message_id, endpoint_id, tenant_id, attempted_at,"
                + " status_code, duration_ms, outcome, response_excerpt, error)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(
            Tuple.from(
                new Object[] {
                  a.messageId(),
                  a.endpointId(),
                  a.tenantId(),
                  time(a.at()),
                  a.statusCode(),
                  (int) Math.min(Integer.MAX_VALUE, a.durationMs()),
                  a.outcome(),
                  a.excerpt(),
                  a.error()
                }))
        .mapEmpty();
  }

  /**
   * The message's new state after an attempt, only if this claim still holds it (a dispatcher whose
   * lease ran out must not overwrite the next one's result). True when it did.
   */
  static Future<Boolean> settle(
      SqlClient tx,
      OutboxMessage m,
      String status,
      Instant nextAttempt,
      Instant now,
      String error) {
    return tx.preparedQuery(
            "UPDATE webhook_messages SET status = $3, attempts = attempts + 1,"
                + " next_attempt_at = COALESCE($4, next_attempt_at), claim_id = NULL,"
                + " delivered_at = CASE WHEN $3 = 'delivered' THEN $5 ELSE delivered_at END,"
                + " last_error = $6 WHERE id = $1 AND claim_id = $2")
        .execute(
            Tuple.from(
                new Object[] {m.id(), m.claimId(), status, time(nextAttempt), time(now), error}))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Gives a claimed message back without an attempt (its circuit is open). */
  Future<Void> release(OutboxMessage m, Instant dueAt) {
    return client
        .preparedQuery(
            "UPDATE webhook_messages SET next_attempt_at = $3, claim_id = NULL"
                + " WHERE id = $1 AND claim_id = $2")
        .execute(Tuple.of(m.id(), m.claimId(), time(dueAt)))
        .mapEmpty();
  }

  /** The endpoint's last attempts, newest first. */
  Future<JsonArray> attempts(String tenantId, UUID endpointId, int limit) {
    return client
        .preparedQuery(
            "SELECT a.message_id, a.attempted_at, a.status_code, a.duration_ms, a.outcome,"
                + " a.response_excerpt, a.error, m.event_type FROM webhook_attempts a"
                + " JOIN webhook_messages m ON m.id = a.message_id"
                + " WHERE a.endpoint_id = $1 AND a.tenant_id = $2"
                + " ORDER BY a.attempted_at DESC, a.id DESC LIMIT $3")
        .execute(Tuple.of(endpointId, tenantId, limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("message_id", r.getString(0))
                        .put("attempted_at", r.getOffsetDateTime(1).toInstant().toString())
                        .put("status_code", r.getInteger(2))
                        .put("duration_ms", r.getInteger(3))
                        .put("outcome", r.getString(4))
                        .put("response_excerpt", r.getString(5))
                        .put("error", r.getString(6))
                        .put("event_type", r.getString(7)));
              }
              return out;
            });
  }

  /** The endpoint's messages, newest first, optionally of one status. */
  Future<JsonArray> messages(String tenantId, UUID endpointId, String status, int limit) {
    return client
        .preparedQuery(
            "SELECT id, event_type, status, attempts, created_at, next_attempt_at, delivered_at,"
                + " last_error FROM webhook_messages WHERE endpoint_id = $1 AND tenant_id = $2"
                + " AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC LIMIT $4")
        .execute(Tuple.of(endpointId, tenantId, status, limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("id", r.getString(0))
                        .put("event_type", r.getString(1))
                        .put("status", r.getString(2))
                        .put("attempts", r.getInteger(3))
                        .put("created_at", r.getOffsetDateTime(4).toInstant().toString())
                        .put("next_attempt_at", r.getOffsetDateTime(5).toInstant().toString())
                        .put(
                            "delivered_at",
                            r.getOffsetDateTime(6) == null
                                ? null
                                : r.getOffsetDateTime(6).toInstant().toString())
                        .put("last_error", r.getString(7)));
              }
              return out;
            });
  }

  /**
   * Sends the message again (same id), now, with a fresh schedule; also a delivered or dead one.
   * False when the endpoint has no such message.
   */
  Future<Boolean> replay(String tenantId, UUID endpointId, String messageId, Instant now) {
    return client
        .preparedQuery(
            "UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = $4,"
                + " claim_id = NULL WHERE id = $1 AND endpoint_id = $2 AND tenant_id = $3")
        .execute(Tuple.of(messageId, endpointId, tenantId, time(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Every message of the endpoint created since {@code since} again; answers how many. */
  Future<Integer> replaySince(String tenantId, UUID endpointId, Instant since, Instant now) {
    return client
        .preparedQuery(
            "UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = $4,"
                + " claim_id = NULL WHERE endpoint_id = $1 AND tenant_id = $2 AND created_at >= $3")
        .execute(Tuple.of(endpointId, tenantId, time(since), time(now)))
        .map(rows -> rows.rowCount());
  }

  /** Attempts since {@code since}: count, share delivered, p50 and p99 duration. */
  Future<JsonObject> stats(String tenantId, UUID endpointId, Instant since) {
    return client
        .preparedQuery(
            "SELECT count(*), count(*) FILTER (WHERE outcome = 'delivered'),"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms),"
                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)"
                + " FROM webhook_attempts WHERE endpoint_id = $1 AND tenant_id = $2"
                + " AND attempted_at >= $3")
        .execute(Tuple.of(endpointId, tenantId, time(since)))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              long total = r.getLong(0);
              long ok = r.getLong(1);
              return new JsonObject()
                  .put("since", since.toString())
                  .put("attempts", total)
                  .put("delivered", ok)
                  .put("success_rate", total == 0 ? null : (double) ok / total)
                  .put("p50_latency_ms", r.getDouble(2))
                  .put("p99_latency_ms", r.getDouble(3));
            });
  }

  /** Pending messages and the age of the oldest one, for the metrics. */
  Future<long[]> backlog(Instant now) {
    return client
        .preparedQuery(
            "SELECT count(*), min(created_at) FROM webhook_messages WHERE status = 'pending'")
        .execute()
        .map(
            rows -> {
              Row r = rows.iterator().next();
              Instant oldest = instant(r.getOffsetDateTime(1));
              return new long[] {
                r.getLong(0),
                oldest == null ? 0 : Math.max(0, now.toEpochMilli() - oldest.toEpochMilli())
              };
            });
  }
}
