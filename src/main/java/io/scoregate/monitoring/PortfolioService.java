package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Portfolios of a tenant, their rules and alerts: every call names the tenant, and a portfolio of
 * another tenant is not found. Writes that must hold together run in one transaction.
 */
public final class PortfolioService {

  private static final List<String> MOVABLE_FROM_ACK = List.of("open");
  private static final List<String> MOVABLE_FROM_RESOLVE = List.of("open", "acknowledged");

  private final Pool pool;
  private final Clock clock;
  private final List<String> levels;
  private final PortfolioRepository portfolios = new PortfolioRepository();
  private final MemberRepository members = new MemberRepository();
  private final AlertRepository alerts = new AlertRepository();

  /**
   * @param levels the risk levels from best to worst, for the level rule's parameter
   */
  public PortfolioService(Pool pool, Clock clock, List<String> levels) {
    this.pool = pool;
    this.clock = clock;
    this.levels = List.copyOf(levels);
  }

  public Future<JsonObject> create(String tenantId, String name, String by) {
    Instant now = clock.instant();
    Portfolio p = new Portfolio(UUID.randomUUID(), tenantId, name, now, now);
    List<AlertRules.Rule> defaults = new ArrayList<>();
    for (String rule : AlertRules.names()) {
      defaults.add(new AlertRules.Rule(rule, true, AlertRules.defaults(rule), null, 0));
    }
    return pool.withTransaction(
            tx ->
                portfolios
                    .insert(tx, p)
                    .compose(
                        v ->
                            portfolios.setRules(
                                tx, tenantId, p.id(), defaults, "created", by, now)))
        .map(v -> p.toJson());
  }

  /** The tenant's portfolio, or a 404 problem. */
  Future<Portfolio> owned(SqlClient sql, String tenantId, UUID id) {
    return portfolios
        .find(sql, tenantId, id)
        .compose(
            p ->
                p == null
                    ? Future.failedFuture(MonitoringProblems.portfolioNotFound())
                    : Future.succeededFuture(p));
  }

  public Future<JsonObject> get(String tenantId, UUID id) {
    return owned(pool, tenantId, id)
        .compose(p -> members.count(pool, id).map(count -> p.toJson().put("members", count)));
  }

  public Future<List<JsonObject>> list(
      String tenantId, Instant afterCreated, UUID afterId, int limit) {
    return portfolios
        .list(pool, tenantId, afterCreated, afterId, limit)
        .map(list -> list.stream().map(Portfolio::toJson).toList());
  }

  public Future<JsonObject> rename(String tenantId, UUID id, String name) {
    return portfolios
        .rename(pool, tenantId, id, name, clock.instant())
        .compose(
            p ->
                p == null
                    ? Future.failedFuture(MonitoringProblems.portfolioNotFound())
                    : Future.succeededFuture(p.toJson()));
  }

  public Future<Void> delete(String tenantId, UUID id, String by) {
    return pool.withTransaction(
        tx ->
            portfolios
                .lock(tx, tenantId, id)
                .compose(
                    p ->
                        p == null
                            ? Future.failedFuture(MonitoringProblems.portfolioNotFound())
                            : portfolios.delete(tx, tenantId, id, by, clock.instant()))
                .mapEmpty());
  }

  /** The rules in force, in the documented order. */
  public Future<List<JsonObject>> rules(String tenantId, UUID id) {
    return owned(pool, tenantId, id)
        .compose(p -> portfolios.rules(pool, new UUID[] {id}))
        .map(
            rows ->
                rows.stream()
                    .map(PortfolioRepository.PortfolioRule::rule)
                    .sorted(Comparator.comparingInt(r -> AlertRules.names().indexOf(r.name())))
                    .map(AlertRules.Rule::toJson)
                    .toList());
  }

  /** Changes one rule and records the change; the rule as it is now in force. */
  public Future<JsonObject> changeRule(
      String tenantId, UUID id, String rule, JsonObject body, String by) {
    if (!AlertRules.names().contains(rule)) {
      return Future.failedFuture(
          MonitoringProblems.notFound(
              "No rule '" + rule + "'; the rules are " + AlertRules.names() + "."));
    }
    Instant now = clock.instant();
    return pool.withTransaction(
        tx ->
            portfolios
                .lock(tx, tenantId, id)
                .compose(
                    p ->
                        p == null
                            ? Future.failedFuture(MonitoringProblems.portfolioNotFound())
                            : portfolios.rules(tx, new UUID[] {id}))
                .compose(
                    rows -> {
                      AlertRules.Rule current =
                          rows.stream()
                              .map(PortfolioRepository.PortfolioRule::rule)
                              .filter(r -> r.name().equals(rule))
                              .findFirst()
                              .orElseThrow();
                      AlertRules.Rule changed = AlertRules.change(current, body, levels);
                      return portfolios
                          .setRules(tx, tenantId, id, List.of(changed), "updated", by, now)
                          .compose(v -> portfolios.rules(tx, new UUID[] {id}));
                    })
                .map(
                    rows ->
                        rows.stream()
                            .map(PortfolioRepository.PortfolioRule::rule)
                            .filter(r -> r.name().equals(rule))
                            .findFirst()
                            .orElseThrow()
                            .toJson()));
  }

  public Future<List<JsonObject>> ruleHistory(
      String tenantId, UUID id, Long beforeVersion, int limit) {
    return owned(pool, tenantId, id)
        .compose(p -> portfolios.history(pool, id, beforeVersion, limit))
        .map(list -> list.stream().map(RuleChange::toJson).toList());
  }

  public Future<List<JsonObject>> members(
      String tenantId, UUID id, MemberRepository.Filter filter, String after, int limit) {
    return owned(pool, tenantId, id)
        .compose(p -> members.list(pool, id, filter, after, limit))
        .map(list -> list.stream().map(Member::toJson).toList());
  }

  public Future<List<JsonObject>> alerts(
      String tenantId,
      UUID id,
      AlertRepository.Filter filter,
      Instant afterCreated,
      UUID afterId,
      int limit) {
    return owned(pool, tenantId, id)
        .compose(p -> alerts.list(pool, tenantId, id, filter, afterCreated, afterId, limit));
  }

  /** Acknowledges an open alert, or resolves an open or acknowledged one, with who and why. */
  public Future<JsonObject> moveAlert(
      String tenantId, UUID id, UUID alertId, String to, String by, String comment) {
    List<String> from = to.equals("acknowledged") ? MOVABLE_FROM_ACK : MOVABLE_FROM_RESOLVE;
    return owned(pool, tenantId, id)
        .compose(
            p -> alerts.move(pool, tenantId, id, alertId, to, from, by, comment, clock.instant()))
        .compose(
            moved ->
                alerts
                    .find(pool, tenantId, id, alertId)
                    .compose(
                        alert -> {
                          if (alert == null) {
                            return Future.failedFuture(
                                MonitoringProblems.notFound("No such alert in this portfolio."));
                          }
                          if (!moved) {
                            return Future.failedFuture(
                                MonitoringProblems.conflict(
                                    "alert-state",
                                    "The alert is "
                                        + alert.getString("status")
                                        + "; it cannot become "
                                        + to
                                        + "."));
                          }
                          return Future.succeededFuture(alert);
                        }));
  }

  public Future<JsonObject> movers(String tenantId, UUID id, int days, int limit) {
    Instant now = clock.instant();
    return owned(pool, tenantId, id)
        .compose(p -> alerts.movers(pool, id, now.minus(Duration.ofDays(days)), limit))
        .compose(
            json ->
                members
                    .count(pool, id)
                    .map(
                        count ->
                            json.put("days", days)
                                .put("since", now.minus(Duration.ofDays(days)).toString())
                                .put("members", count)));
  }
}
