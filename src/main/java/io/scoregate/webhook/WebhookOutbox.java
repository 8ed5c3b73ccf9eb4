package io.scoregate.webhook;

import io.scoregate.batch.BatchListener;
import io.scoregate.batch.BatchSummary;
import io.scoregate.monitoring.Alert;
import io.scoregate.monitoring.AlertListener;
import io.scoregate.monitoring.ScoreChange;
import io.scoregate.monitoring.ScoreChangeListener;
import io.scoregate.monitoring.ScoreSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns what happened (alerts, score changes of watched companies, completed batches) into outbox
 * messages, written with the caller's connection inside the caller's transaction: they commit or
 * roll back with their cause. The body of a message is fixed here, once; every attempt sends these
 * bytes: {@code {"type", "timestamp", "data"}} as Standard Webhooks asks.
 */
public final class WebhookOutbox implements AlertListener, ScoreChangeListener, BatchListener {

  private final Clock clock;

  public WebhookOutbox(Clock clock) {
    this.clock = clock;
  }

  /**
   * The {@code data} of an {@code alert.created}: the alert, its company and member, before and
   * after.
   */
  static JsonObject alertData(Alert a) {
    return new JsonObject()
        .put(
            "alert",
            new JsonObject()
                .put("id", a.id().toString())
                .put("rule", a.rule())
                .put("rule_version", a.ruleVersion())
                .put("status", a.status())
                .put("portfolio_id", a.portfolioId().toString())
                .put("cause", a.cause())
                .put("cause_event_id", a.causeEventId())
                .put("cause_event_kind", a.causeEventKind())
                .put("details", a.details() == null ? new JsonObject() : a.details())
                .put("created_at", a.createdAt().toString()))
        .put(
            "company",
            new JsonObject()
                .put("country", a.country())
                .put("id", a.nationalId())
                .put("name", a.companyName()))
        .put(
            "member",
            new JsonObject()
                .put("reference", a.reference())
                .put("exposure", a.exposure() == null ? null : a.exposure().toPlainString()))
        .put(
            "before",
            new JsonObject().put("score", a.scoreBefore()).put("risk_level", a.levelBefore()))
        .put(
            "after",
            new JsonObject().put("score", a.scoreAfter()).put("risk_level", a.levelAfter()));
  }

  /** The line of a digest mail. */
  static JsonObject digestItem(Alert a) {
    return new JsonObject()
        .put("alert_id", a.id().toString())
        .put("rule", a.rule())
        .put("company_name", a.companyName())
        .put("country", a.country())
        .put("national_id", a.nationalId())
        .put("reference", a.reference())
        .put("exposure", a.exposure() == null ? null : a.exposure().toPlainString())
        .put("score_before", a.scoreBefore())
        .put("score_after", a.scoreAfter())
        .put("level_before", a.levelBefore())
        .put("level_after", a.levelAfter())
        .put("created_at", a.createdAt().toString());
  }

  static JsonObject snapshot(ScoreSnapshot s) {
    return s == null
        ? null
        : new JsonObject()
            .put("score", s.score())
            .put("pd", s.pd())
            .put("grade", s.grade())
            .put("risk_level", s.riskLevel())
            .put("model_version", s.modelVersion());
  }

  /** {@code alert.created} for every subscribed endpoint, and the portfolios' e-mail digests. */
  @Override
  public Future<Void> onAlerts(SqlConnection tx, List<Alert> alerts) {
    Map<String, List<Alert>> byPortfolio = new LinkedHashMap<>();
    for (Alert a : alerts) {
      byPortfolio
          .computeIfAbsent(a.tenantId() + "/" + a.portfolioId(), k -> new ArrayList<>())
          .add(a);
    }
    Future<Void> chain = Future.succeededFuture();
    for (List<Alert> group : byPortfolio.values()) {
      chain = chain.compose(v -> portfolioAlerts(tx, group));
    }
    return chain;
  }

  private Future<Void> portfolioAlerts(SqlClient tx, List<Alert> group) {
    Alert first = group.get(0);
    Instant now = clock.instant();
    return EndpointRepository.subscribers(
            tx, first.tenantId(), "alert.created", first.portfolioId())
        .compose(
            endpoints -> {
              List<OutboxMessage.New> messages = new ArrayList<>();
              for (Alert a : group) {
                String body = body("alert.created", a.createdAt(), alertData(a));
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
   * (a watched company), once per endpoint and company, listing the tenant's memberships.
   */
  @Override
  public Future<Void> onChanges(SqlConnection tx, List<ScoreChange> changes) {
    Long[] companies = new Long[changes.size()];
    for (int i = 0; i < companies.length; i++) {
      companies[i] = changes.get(i).companyId();
    }
    return tx.preparedQuery(
            "SELECT pm.company_id, p.tenant_id, p.id, pm.reference, pm.exposure::text, pm.currency"
                + " FROM portfolio_members pm JOIN portfolios p ON p.id = pm.portfolio_id"
                + " WHERE pm.company_id = ANY($1) ORDER BY pm.company_id, p.tenant_id, p.id")
        .execute(Tuple.of((Object) companies))
        .compose(
            rows -> {
              // company -> tenant -> its memberships of the company
              Map<Long, Map<String, List<Row>>> held = new LinkedHashMap<>();
              rows.forEach(
                  r ->
                      held.computeIfAbsent(r.getLong(0), k -> new LinkedHashMap<>())
                          .computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                          .add(r));
              if (held.isEmpty()) {
                return Future.succeededFuture();
              }
              Set<String> tenants = new LinkedHashSet<>();
              held.values().forEach(byTenant -> tenants.addAll(byTenant.keySet()));
              return tx.preparedQuery(
                      "SELECT tenant_id, id, portfolio_id FROM webhook_endpoints"
                          + " WHERE tenant_id = ANY($1) AND enabled"
                          + " AND 'score.changed' = ANY(event_types)")
                  .execute(Tuple.of((Object) tenants.toArray(new String[0])))
                  .compose(
                      endpoints -> {
                        Map<String, List<Row>> byTenant = new HashMap<>();
                        endpoints.forEach(
                            e ->
                                byTenant
                                    .computeIfAbsent(e.getString(0), k -> new ArrayList<>())
                                    .add(e));
                        List<OutboxMessage.New> messages = new ArrayList<>();
                        for (ScoreChange change : changes) {
                          Map<String, List<Row>> memberships = held.get(change.companyId());
                          if (memberships == null) {
                            continue;
                          }
                          memberships.forEach(
                              (tenant, rowsOfTenant) ->
                                  watchedChange(
                                      tenant,
                                      byTenant.getOrDefault(tenant, List.of()),
                                      rowsOfTenant,
                                      change,
                                      messages));
                        }
                        return OutboxRepository.enqueue(tx, messages, clock.instant());
                      });
            });
  }

  private void watchedChange(
      String tenantId,
      List<Row> endpoints,
      List<Row> memberships,
      ScoreChange change,
      List<OutboxMessage.New> messages) {
    for (Row e : endpoints) {
      UUID filter = e.getUUID(2);
      JsonArray members = new JsonArray();
      for (Row m : memberships) {
        if (filter == null || filter.equals(m.getUUID(2))) {
          members.add(
              new JsonObject()
                  .put("portfolio_id", m.getUUID(2).toString())
                  .put("reference", m.getString(3))
                  .put("exposure", m.getString(4))
                  .put("currency", m.getString(5)));
        }
      }
      if (members.isEmpty()) {
        continue;
      }
      JsonObject data =
          new JsonObject()
              .put(
                  "company",
                  new JsonObject().put("country", change.country()).put("id", change.nationalId()))
              .put("members", members)
              .put("before", snapshot(change.before()))
              .put("after", snapshot(change.after()))
              .put("cause", change.cause())
              .put("cause_event_id", change.causeEventId())
              .put("cause_event_kind", change.causeEventKind());
      messages.add(
          new OutboxMessage.New(
              tenantId,
              OutboxMessage.WEBHOOK,
              e.getUUID(1),
              "score.changed",
              body("score.changed", change.at(), data)));
    }
  }

  /** {@code batch.completed} for the tenant's subscribed endpoints. */
  @Override
  public Future<Void> onCompleted(SqlConnection tx, BatchSummary batch) {
    Instant now = clock.instant();
    return EndpointRepository.subscribers(tx, batch.tenantId(), "batch.completed", null)
        .compose(
            endpoints -> {
              String body =
                  body(
                      "batch.completed",
                      batch.finishedAt() == null ? now : batch.finishedAt(),
                      new JsonObject()
                          .put("batch_id", batch.batchId().toString())
                          .put("mode", batch.mode())
                          .put("status", batch.status())
                          .put("total", batch.total())
                          .put("succeeded", batch.succeeded())
                          .put("failed", batch.failed())
                          .put("created_at", time(batch.createdAt()))
                          .put("started_at", time(batch.startedAt()))
                          .put("finished_at", time(batch.finishedAt()))
                          .put("results_url", batch.resultsUrl()));
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

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static String body(String type, Instant at, JsonObject data) {
    return new JsonObject()
        .put("type", type)
        .put("timestamp", at.toString())
        .put("data", data)
        .encode();
  }
}
