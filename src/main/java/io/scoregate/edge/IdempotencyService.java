package io.scoregate.edge;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on POSTs: the first request with a key claims it (a row in Postgres),
 * runs, and stores its answer; a retry with the same key and the same body gets that answer again
 * (the same decision id) for the configured time, with another body a 422, and while the first is
 * still running a 409. Records live in Postgres, so they survive restarts and are seen by every
 * instance. A first request that fails releases its key, so it can be retried.
 */
public final class IdempotencyService {

  public static final String HEADER = "Idempotency-Key";

  private static final String CLAIM_SQL =
      """
      INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, created_at, expires_at)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = excluded.request_hash,
        response = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at
      WHERE k.expires_at < excluded.created_at
      RETURNING true
      """;
  private static final String FIND_SQL =
      "SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2";

  private final SqlClient client;
  private final Clock clock;
  private final Duration ttl;

  public IdempotencyService(SqlClient client, Clock clock, Duration ttl) {
    this.client = client;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Runs {@code action} once per tenant and key; replays its answer to retries. */
  public Future<Buffer> once(
      String tenantId, String key, JsonObject body, Supplier<Future<Buffer>> action) {
    if (key.isEmpty() || key.length() > 255) {
      return Future.failedFuture(
          new ValidationException(
              java.util.List.of(
                  new FieldError(
                      HEADER, "format", "Idempotency-Key must have 1 to 255 characters."))));
    }
    byte[] hash = hash(body);
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return client
        .preparedQuery(CLAIM_SQL)
        .execute(Tuple.of(tenantId, key, Buffer.buffer(hash), now, now.plus(ttl)))
        .compose(
            claimed ->
                claimed.size() == 1
                    ? runAndStore(tenantId, key, action)
                    : replay(tenantId, key, hash));
  }

  private Future<Buffer> runAndStore(String tenantId, String key, Supplier<Future<Buffer>> action) {
    return action
        .get()
        .compose(
            answer ->
                client
                    .preparedQuery(
                        "UPDATE idempotency_keys SET response = convert_from($3, 'UTF8')::jsonb"
                            + " WHERE tenant_id = $1 AND key = $2")
                    .execute(Tuple.of(tenantId, key, answer))
                    .map(answer))
        .recover(
            e ->
                client
                    .preparedQuery("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2")
                    .execute(Tuple.of(tenantId, key))
                    .transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Buffer> replay(String tenantId, String key, byte[] hash) {
    return client
        .preparedQuery(FIND_SQL)
        .execute(Tuple.of(tenantId, key))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new ProblemException(
                    409, "idempotency-conflict", "Conflict", "Retry: the key was just released.");
              }
              Row row = rows.iterator().next();
              if (!Arrays.equals(row.getBuffer(0).getBytes(), hash)) {
                throw new ValidationException(
                    java.util.List.of(
                        new FieldError(
                            HEADER,
                            "reused",
                            "This Idempotency-Key was used with another request body.")));
              }
              Object response = row.getValue(1);
              if (response == null) {
                throw new ProblemException(
                    409,
                    "idempotency-conflict",
                    "Conflict",
                    "A request with this Idempotency-Key is still being processed; retry later.");
              }
              return ((JsonObject) response).toBuffer();
            });
  }

  /** Deletes records past their time; returns how many. */
  public Future<Integer> purgeExpired() {
    return client
        .preparedQuery("DELETE FROM idempotency_keys WHERE expires_at < $1")
        .execute(Tuple.of(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  /** SHA-256 of the body in canonical form (keys sorted), so that key order does not matter. */
  static byte[] hash(JsonObject body) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(canonical(body).toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object canonical(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<String, Object> e : o) {
        sorted.put(e.getKey(), canonical(e.getValue()));
      }
      return new JsonObject(new java.util.LinkedHashMap<>(sorted)).encode();
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(canonical(v)));
      return out.encode();
    }
    return value;
  }
}
