package io.scoregate.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns what happened (alerts, score changes of watched companies, completed batches) into outbox
 * messages, written with the caller's connection inside the caller's transaction: they commit or
 * roll back with their cause. The body of a message is fixed here, once; every attempt sends these
 * bytes: {@code {"type", "timestamp", "data"}} as Standard Webhooks asks.
 */
public final class WebhookOutbox {

  private final Clock clock;

  public WebhookOutbox(Clock clock) {
    this.clock = clock;
  }

  /** An alert as this unit needs it: the alert row with its company and its member's terms. */
  public record AlertNotice(
      UUID id,
      String tenantId,
      UUID portfolioId,
      String rule,
      long companyId,
      String country,
      String nationalId,
      String companyName,
      String reference,
      BigDecimal exposure,
      String currency,
      Integer scoreBefore,
      Integer scoreAfter,
      String levelBefore,
      String levelAfter,
      Long causeEventId,
      String status,
      Instant createdAt) {

    JsonObject data() {
      return new JsonObject()
          .put(
              "alert",
              new JsonObject()
                  .put("id", id.toString())
                  .put("rule", rule)
                  .put("status", status)
                  .put("portfolio_id", portfolioId.toString())
                  .put("cause_event_id", causeEventId)
                  .put("created_at", createdAt.toString()))
          .put(
              "company",
              new JsonObject()
                  .put("country", country)
                  .put("id", nationalId)
                  .put("name", companyName))
          .put(
              "member",
              new JsonObject()
                  .put("reference", reference)
                  .put("exposure", exposure == null ? null : exposure.toPlainString())
                  .put("currency", currency))
          .put("before", new JsonObject().put("score", scoreBefore).put("risk_level", levelBefore))
          .put("after", new JsonObject().put("score", scoreAfter).put("risk_level", levelAfter));
    }

    /** The line of a digest mail. */
    JsonObject digestItem() {
      return new JsonObject()
          .put("alert_id", id.toString())
          .put("rule", rule)
          .put("company_name", companyName)
          .put("country", country)
          .put("national_id", nationalId)
          .put("reference", reference)
          .put("exposure", exposure == null ? null : exposure.toPlainString())
          .put("currency", currency)
          .put("score_before", scoreBefore)
          .put("score_after", scoreAfter)
          .put("level_before", levelBefore)
          .put("level_after", levelAfter)
          .put("created_at", createdAt.toString());
    }
  }

  /**
   * A stored score change; {@code before} and {@code after} hold score, pd, grade, level, model.
   */
  public record ScoreNotice(
      long companyId,
      String country,
      String nationalId,
      JsonObject before,
      JsonObject after,
      String cause,
      Long causeEventId,
      String causeEventKind,
      Instant at) {}

  /** A finished batch of a tenant, with its summary as the batch unit gives it. */
  public record BatchNotice(String tenantId, String batchId, JsonObject summary, Instant at) {}

  /** {@code alert.created} for every subscribed endpoint, and the portfolios' e-mail digests. */
  public Future<Void> alerts(SqlClient tx, List<AlertNotice> alerts) {
    Map<String, List<AlertNotice>> byPortfolio = new LinkedHashMap<>();
    for (AlertNotice a : alerts) {
      byPortfolio
          .computeIfAbsent(a.tenantId() + "/" + a.portfolioId(), k -> new ArrayList<>())
          .add(a);
    }
    Future<Void> chain = Future.succeededFuture();
    for (List<AlertNotice> group : byPortfolio.values()) {
      chain = chain.compose(v -> portfolioAlerts(tx, group));
    }
    return chain;
  }

  private Future<Void> portfolioAlerts(SqlClient tx, List<AlertNotice> group) {
    AlertNotice first = group.get(0);
    Instant now = clock.instant();
    return EndpointRepository.subscribers(
            tx, first.tenantId(), "alert.created", first.portfolioId())
        .compose(
            endpoints -> {
              List<OutboxMessage.New> messages = new ArrayList<>();
              for (AlertNotice a : group) {
                String body = body("alert.created", a.createdAt(), a.data());
                for (Endpoint e : endpoints) {
                  messages.add(
                      new OutboxMessage.New(
                          a.tenantId(), OutboxMessage.WEBHOOK, e.id(), "alert.created", body));
                }
              }
              return OutboxRepository.enqueue(tx, messages, now);
            })
        .compose(v -> DigestRepository.collect(tx, group, now));
  }

  /**
   * {@code score.changed} for the endpoints of every tenant that holds the company in a portfolio
   * (a watched company), once per endpoint, listing the tenant's memberships.
   */
  public Future<Void> scoreChanged(SqlClient tx, ScoreNotice change) {
    return tx.preparedQuery(
            "SELECT p.tenant_id, p.id, pm.reference, pm.exposure::text, pm.currency"
                + " FROM portfolio_members pm JOIN portfolios p ON p.id = pm.portfolio_id"
                + " WHERE pm.company_id = $1 ORDER BY p.tenant_id, p.id")
        .execute(Tuple.of(change.companyId()))
        .compose(
            rows -> {
              Map<String, List<Row>> byTenant = new LinkedHashMap<>();
              rows.forEach(
                  r -> byTenant.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r));
              Future<Void> chain = Future.succeededFuture();
              for (Map.Entry<String, List<Row>> tenant : byTenant.entrySet()) {
                chain =
                    chain.compose(
                        v -> watchedChange(tx, tenant.getKey(), tenant.getValue(), change));
              }
              return chain;
            });
  }

  private Future<Void> watchedChange(
      SqlClient tx, String tenantId, List<Row> memberships, ScoreNotice change) {
    Instant now = clock.instant();
    return tx.preparedQuery(
            "SELECT id, portfolio_id FROM webhook_endpoints WHERE tenant_id = $1 AND enabled"
                + " AND 'score.changed' = ANY(event_types)")
        .execute(Tuple.of(tenantId))
        .compose(
            endpoints -> {
              List<OutboxMessage.New> messages = new ArrayList<>();
              for (Row e : endpoints) {
                UUID filter = e.getUUID(1);
                JsonArray members = new JsonArray();
                for (Row m : memberships) {
                  if (filter == null || filter.equals(m.getUUID(1))) {
                    members.add(
                        new JsonObject()
                            .put("portfolio_id", m.getUUID(1).toString())
                            .put("reference", m.getString(2))
                            .put("exposure", m.getString(3))
                            .put("currency", m.getString(4)));
                  }
                }
                if (members.isEmpty()) {
                  continue;
                }
                JsonObject data =
                    new JsonObject()
                        .put(
                            "company",
                            new JsonObject()
                                .put("country", change.country())
                                .put("id", change.nationalId()))
                        .put("members", members)
                        .put("before", change.before())
                        .put("after", change.after())
                        .put("cause", change.cause())
                        .put("cause_event_id", change.causeEventId())
                        .put("cause_event_kind", change.causeEventKind());
                messages.add(
                    new OutboxMessage.New(
                        tenantId,
                        OutboxMessage.WEBHOOK,
                        e.getUUID(0),
                        "score.changed",
                        body("score.changed", change.at(), data)));
              }
              return OutboxRepository.enqueue(tx, messages, now);
            });
  }

  /** {@code batch.completed} for the tenant's subscribed endpoints. */
  public Future<Void> batchCompleted(SqlClient tx, BatchNotice batch) {
    Instant now = clock.instant();
    return EndpointRepository.subscribers(tx, batch.tenantId(), "batch.completed", null)
        .compose(
            endpoints -> {
              String body =
                  body(
                      "batch.completed",
                      batch.at(),
                      new JsonObject()
                          .put("batch_id", batch.batchId())
                          .put("summary", batch.summary()));
              List<OutboxMessage.New> messages = new ArrayList<>();
              for (Endpoint e : endpoints) {
                messages.add(
                    new OutboxMessage.New(
                        batch.tenantId(), OutboxMessage.WEBHOOK, e.id(), "batch.completed", body));
              }
              return OutboxRepository.enqueue(tx, messages, now);
            });
  }

  /** A {@code ping} to one endpoint, whatever it subscribed to: {@code POST .../test}. */
  static Future<String> ping(SqlClient tx, Endpoint endpoint, Instant now) {
    String body =
        body(
            "ping",
            now,
            new JsonObject()
                .put("endpoint_id", endpoint.id().toString())
                .put("message", "scoregate test delivery"));
    return OutboxRepository.enqueueOne(
        tx,
        new OutboxMessage.New(
            endpoint.tenantId(), OutboxMessage.WEBHOOK, endpoint.id(), "ping", body),
        now);
  }

  static String body(String type, Instant at, JsonObject data) {
    return new JsonObject()
        .put("type", type)
        .put("timestamp", at.toString())
        .put("data", data)
        .encode();
  }
}
