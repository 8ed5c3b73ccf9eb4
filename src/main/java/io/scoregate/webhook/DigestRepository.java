package io.scoregate.webhook;

import static io.scoregate.webhook.EndpointRepository.instant;
import static io.scoregate.webhook.EndpointRepository.time;

import io.scoregate.monitoring.Alert;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * E-mail digests of portfolios: the subscriptions, the alerts waiting for the next mail, and the
 * mails themselves, which go through the outbox like webhooks (same retries).
 */
final class DigestRepository {

  static final List<String> PERIODS = List.of("immediately", "hourly", "daily");
  static final List<String> LANGUAGES = List.of("en", "fr");

  private static final String COLUMNS =
      "id, portfolio_id, recipients, period, language, next_send_at, created_at";

  private final SqlClient client;

  DigestRepository(SqlClient client) {
    this.client = client;
  }

  /** A digest subscription as the API shows it. */
  record Digest(
      UUID id,
      UUID portfolioId,
      List<String> recipients,
      String period,
      String language,
      Instant nextSendAt,
      Instant createdAt) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", id.toString())
          .put("portfolio_id", portfolioId.toString())
          .put("recipients", new JsonArray(recipients))
          .put("period", period)
          .put("language", language)
          .put("next_send_at", nextSendAt == null ? null : nextSendAt.toString())
          .put("created_at", createdAt.toString());
    }
  }

  Future<Digest> create(
      String tenantId,
      UUID portfolioId,
      List<String> recipients,
      String period,
      String language,
      Instant now) {
    return client
        .preparedQuery(
            "INSERT INTO email_digests (id, tenant_id, portfolio_id, recipients, period, language,"
                + " next_send_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  UUID.randomUUID(),
                  tenantId,
                  portfolioId,
                  recipients.toArray(String[]::new),
                  period,
                  language,
                  time(nextSend(period, now)),
                  time(now)
                }))
        .map(rows -> digest(rows.iterator().next()));
  }

  Future<List<Digest>> list(String tenantId) {
    return client
        .preparedQuery(
            "SELECT " + COLUMNS + " FROM email_digests WHERE tenant_id = $1 ORDER BY created_at")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<Digest> out = new ArrayList<>();
              rows.forEach(r -> out.add(digest(r)));
              return out;
            });
  }

  Future<Boolean> delete(String tenantId, UUID id) {
    return client
        .preparedQuery("DELETE FROM email_digests WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * In the alerts' transaction: a mail now for the digests sent immediately, the alerts kept for
   * the next mail of the hourly and daily ones.
   */
  static Future<Void> collect(SqlClient tx, List<Alert> alerts, Instant now) {
    Alert first = alerts.get(0);
    return tx.preparedQuery(
            "SELECT id, recipients, period, language FROM email_digests"
                + " WHERE tenant_id = $1 AND portfolio_id = $2")
        .execute(Tuple.of(first.tenantId(), first.portfolioId()))
        .compose(
            rows -> {
              List<JsonObject> items = alerts.stream().map(WebhookOutbox::digestItem).toList();
              List<OutboxMessage.New> mails = new ArrayList<>();
              List<Tuple> kept = new ArrayList<>();
              for (Row r : rows) {
                if ("immediately".equals(r.getString(2))) {
                  mails.add(
                      new OutboxMessage.New(
                          first.tenantId(),
                          OutboxMessage.EMAIL,
                          null,
                          "digest",
                          Mails.digest(Arrays.asList(r.getArrayOfStrings(1)), r.getString(3), items)
                              .encode()));
                } else {
                  for (JsonObject item : items) {
                    kept.add(Tuple.of(r.getUUID(0), item, time(now)));
                  }
                }
              }
              Future<Void> stored =
                  kept.isEmpty()
                      ? Future.succeededFuture()
                      : tx.preparedQuery(
                              "INSERT INTO email_digest_items (digest_id, item, created_at)"
                                  + " VALUES ($1, $2, $3)")
                          .executeBatch(kept)
                          .mapEmpty();
              return stored.compose(v -> OutboxRepository.enqueue(tx, mails, now));
            });
  }

  /**
   * Every hourly or daily digest whose period ended: one mail with its waiting alerts (none when
   * there are none), the next period set. Instances skip each other's locked digests.
   */
  static Future<Integer> sendDue(Pool pool, Instant now) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT id, tenant_id, recipients, period, language FROM email_digests"
                        + " WHERE period <> 'immediately' AND next_send_at <= $1"
                        + " ORDER BY next_send_at LIMIT 100 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(time(now)))
                .compose(
                    rows -> {
                      Future<Integer> chain = Future.succeededFuture(0);
                      for (Row r : rows) {
                        chain = chain.compose(sent -> sendOne(tx, r, now).map(n -> sent + n));
                      }
                      return chain;
                    }));
  }

  private static Future<Integer> sendOne(SqlClient tx, Row digest, Instant now) {
    UUID id = digest.getUUID(0);
    return tx.preparedQuery(
            "DELETE FROM email_digest_items WHERE digest_id = $1 RETURNING id, item")
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              List<Row> items = new ArrayList<>();
              rows.forEach(items::add);
              items.sort(Comparator.comparingLong(r -> r.getLong(0)));
              Future<Integer> mailed;
              if (items.isEmpty()) {
                mailed = Future.succeededFuture(0);
              } else {
                JsonObject mail =
                    Mails.digest(
                        Arrays.asList(digest.getArrayOfStrings(2)),
                        digest.getString(4),
                        items.stream().map(r -> (JsonObject) r.getValue(1)).toList());
                mailed =
                    OutboxRepository.enqueueOne(
                            tx,
                            new OutboxMessage.New(
                                digest.getString(1),
                                OutboxMessage.EMAIL,
                                null,
                                "digest",
                                mail.encode()),
                            now)
                        .map(1);
              }
              return mailed.compose(
                  n ->
                      tx.preparedQuery("UPDATE email_digests SET next_send_at = $2 WHERE id = $1")
                          .execute(Tuple.of(id, time(nextSend(digest.getString(3), now))))
                          .map(n));
            });
  }

  /** The end of the current period (UTC hours and days); null for immediate digests. */
  static Instant nextSend(String period, Instant now) {
    return switch (period) {
      case "hourly" -> now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      case "daily" -> now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
      default -> null;
    };
  }

  private static Digest digest(Row r) {
    return new Digest(
        r.getUUID(0),
        r.getUUID(1),
        Arrays.asList(r.getArrayOfStrings(2)),
        r.getString(3),
        r.getString(4),
        instant(r.getOffsetDateTime(5)),
        instant(r.getOffsetDateTime(6)));
  }
}
