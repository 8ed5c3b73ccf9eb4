package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Alerts, the rule conditions behind them, and the score history reads they need. */
final class AlertRepository {

  private static final String ALERT_COLUMNS =
      "a.id, a.tenant_id, a.portfolio_id, a.rule, a.rule_version, a.company_id, c.country,"
          + " c.national_id, c.name, a.reference, a.exposure, a.score_before, a.score_after,"
          + " a.level_before, a.level_after, a.cause, a.cause_event_id, a.cause_event_kind,"
          + " a.details, a.status, a.created_at, a.acknowledged_at, a.acknowledged_by,"
          + " a.acknowledge_comment, a.resolved_at, a.resolved_by, a.resolve_comment";

  /** "portfolio:company:rule" of the conditions that hold now. */
  Future<Set<String>> activeConditions(SqlClient sql, UUID[] portfolios, Long[] companies) {
    return sql.preparedQuery(
            "SELECT portfolio_id, company_id, rule FROM alert_conditions"
                + " WHERE portfolio_id = ANY($1) AND company_id = ANY($2) AND active")
        .execute(Tuple.of(portfolios, (Object) companies))
        .map(
            rows -> {
              Set<String> out = new HashSet<>();
              for (Row row : rows) {
                out.add(
                    conditionKey(
                        row.getUUID("portfolio_id"), row.getLong("company_id"), row.getString(2)));
              }
              return out;
            });
  }

  static String conditionKey(UUID portfolio, long company, String rule) {
    return portfolio + ":" + company + ":" + rule;
  }

  /** A condition that started or stopped holding. */
  record Transition(UUID portfolioId, long companyId, String rule, boolean active) {}

  Future<Void> setConditions(SqlClient tx, List<Transition> transitions, Instant at) {
    if (transitions.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = transitions.size();
    UUID[] portfolios = new UUID[n];
    Long[] companies = new Long[n];
    String[] rules = new String[n];
    Boolean[] active = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Transition t = transitions.get(i);
      portfolios[i] = t.portfolioId();
      companies[i] = t.companyId();
      rules[i] = t.rule();
      active[i] = t.active();
    }
    return tx.preparedQuery(
            "INSERT INTO alert_conditions (portfolio_id, company_id, rule, active, changed_at)"
                + " SELECT u.p, u.c, u.r, u.a, $1"
                + " FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::boolean[])"
                + " AS u(p, c, r, a)"
                + " ON CONFLICT (portfolio_id, company_id, rule) DO UPDATE"
                + " SET active = EXCLUDED.active, changed_at = EXCLUDED.changed_at")
        .execute(
            Tuple.from(
                new Object[] {PortfolioRepository.time(at), portfolios, companies, rules, active}))
        .mapEmpty();
  }

  /**
   * Inserts the alerts; returns those really inserted (a fact already alerted on, delivered again,
   * is not inserted twice).
   */
  Future<List<Alert>> insert(SqlClient tx, List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = alerts.size();
    UUID[] ids = new UUID[n];
    String[] tenants = new String[n];
    UUID[] portfolios = new UUID[n];
    String[] rules = new String[n];
    Long[] ruleVersions = new Long[n];
    Long[] companies = new Long[n];
    String[] references = new String[n];
    String[] exposures = new String[n];
    Integer[] scoresBefore = new Integer[n];
    Integer[] scoresAfter = new Integer[n];
    String[] levelsBefore = new String[n];
    String[] levelsAfter = new String[n];
    String[] causes = new String[n];
    Long[] causeEvents = new Long[n];
    String[] causeKinds = new String[n];
    String[] details = new String[n];
    OffsetDateTime[] created = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Alert a = alerts.get(i);
      ids[i] = a.id();
      tenants[i] = a.tenantId();
      portfolios[i] = a.portfolioId();
      rules[i] = a.rule();
      ruleVersions[i] = a.ruleVersion();
      companies[i] = a.companyId();
      references[i] = a.reference();
      exposures[i] = a.exposure() == null ? null : a.exposure().toPlainString();
      scoresBefore[i] = a.scoreBefore();
      scoresAfter[i] = a.scoreAfter();
      levelsBefore[i] = a.levelBefore();
      levelsAfter[i] = a.levelAfter();
      causes[i] = a.cause();
      causeEvents[i] = a.causeEventId();
      causeKinds[i] = a.causeEventKind();
      details[i] = a.details() == null ? null : a.details().encode();
      created[i] = PortfolioRepository.time(a.createdAt());
    }
    // One statement for the set; what it returns is what was new.
    return tx.preparedQuery(
            "INSERT INTO alerts (id, tenant_id, portfolio_id, rule, rule_version, company_id,"
                + " reference, exposure, score_before, score_after, level_before, level_after,"
                + " cause, cause_event_id, cause_event_kind, details, status, created_at)"
                + " SELECT i, t, p, r, rv, c, ref, e::numeric, sb, sa, lb, la, ca, ce, ck,"
                + " coalesce(d::jsonb, '{}'), 'open', at"
                + " FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::bigint[],"
                + " $6::bigint[], $7::text[], $8::text[], $9::int[], $10::int[], $11::text[],"
                + " $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[],"
                + " $17::timestamptz[])"
                + " AS u(i, t, p, r, rv, c, ref, e, sb, sa, lb, la, ca, ce, ck, d, at)"
                + " ON CONFLICT DO NOTHING RETURNING id")
        .execute(
            Tuple.from(
                new Object[] {
                  ids,
                  tenants,
                  portfolios,
                  rules,
                  ruleVersions,
                  companies,
                  references,
                  exposures,
                  scoresBefore,
                  scoresAfter,
                  levelsBefore,
                  levelsAfter,
                  causes,
                  causeEvents,
                  causeKinds,
                  details,
                  created
                }))
        .map(
            rows -> {
              Set<UUID> fresh = new HashSet<>();
              rows.forEach(row -> fresh.add(row.getUUID(0)));
              List<Alert> inserted = new ArrayList<>(fresh.size());
              for (Alert a : alerts) {
                if (fresh.contains(a.id())) {
                  inserted.add(a);
                }
              }
              return inserted;
            });
  }

  /**
   * A company's score history since {@code from}, oldest first, after the last row before it (the
   * score the company had when the window opened).
   */
  /**
   * Each company's score history from {@code from} on, with the last point before it (the score
   * held when the window opened), oldest first, by company.
   */
  Future<Map<Long, List<AlertRules.Point>>> history(SqlClient sql, Long[] companies, Instant from) {
    return sql.preparedQuery(
            "(SELECT DISTINCT ON (company_id) company_id, score, cause, recorded_at, id"
                + " FROM score_history WHERE company_id = ANY($1) AND recorded_at < $2"
                + " ORDER BY company_id, recorded_at DESC, id DESC)"
                + " UNION ALL (SELECT company_id, score, cause, recorded_at, id FROM score_history"
                + " WHERE company_id = ANY($1) AND recorded_at >= $2)"
                + " ORDER BY company_id, recorded_at, id")
        .execute(Tuple.of(companies, PortfolioRepository.time(from)))
        .map(
            rows -> {
              Map<Long, List<AlertRules.Point>> out = new HashMap<>();
              for (Row row : rows) {
                out.computeIfAbsent(row.getLong("company_id"), k -> new ArrayList<>())
                    .add(
                        new AlertRules.Point(
                            row.getInteger("score"),
                            row.getString("cause"),
                            PortfolioRepository.instant(row, "recorded_at")));
              }
              return out;
            });
  }

  /** Filters of the alerts listing; each null means "any". */
  record Filter(Instant since, String rule, String status) {}

  /** A page of a portfolio's alerts, newest first, after the cursor (keyset). */
  Future<List<JsonObject>> list(
      SqlClient sql,
      String tenantId,
      UUID portfolioId,
      Filter f,
      Instant afterCreated,
      UUID afterId,
      int limit) {
    return sql.preparedQuery(
            "SELECT "
                + ALERT_COLUMNS
                + " FROM alerts a JOIN companies c ON c.id = a.company_id"
                + " WHERE a.portfolio_id = $1 AND a.tenant_id = $2"
                + " AND ($3::timestamptz IS NULL OR a.created_at >= $3)"
                + " AND ($4::text IS NULL OR a.rule = $4)"
                + " AND ($5::text IS NULL OR a.status = $5)"
                + " AND ($6::timestamptz IS NULL OR (a.created_at, a.id) < ($6, $7))"
                + " ORDER BY a.created_at DESC, a.id DESC LIMIT $8")
        .execute(
            Tuple.from(
                new Object[] {
                  portfolioId,
                  tenantId,
                  PortfolioRepository.time(f.since()),
                  f.rule(),
                  f.status(),
                  PortfolioRepository.time(afterCreated),
                  afterId,
                  limit
                }))
        .map(
            rows -> {
              List<JsonObject> out = new ArrayList<>(rows.size());
              rows.forEach(row -> out.add(alertJson(row)));
              return out;
            });
  }

  /** One alert of the portfolio, or null. */
  Future<JsonObject> find(SqlClient sql, String tenantId, UUID portfolioId, UUID alertId) {
    return sql.preparedQuery(
            "SELECT "
                + ALERT_COLUMNS
                + " FROM alerts a JOIN companies c ON c.id = a.company_id"
                + " WHERE a.id = $1 AND a.portfolio_id = $2 AND a.tenant_id = $3")
        .execute(Tuple.of(alertId, portfolioId, tenantId))
        .map(rows -> rows.size() == 0 ? null : alertJson(rows.iterator().next()));
  }

  /**
   * Moves an alert to {@code to} (acknowledged or resolved) from one of {@code from}; false when it
   * was in another state.
   */
  Future<Boolean> move(
      SqlClient sql,
      String tenantId,
      UUID portfolioId,
      UUID alertId,
      String to,
      List<String> from,
      String by,
      String comment,
      Instant at) {
    String set =
        to.equals("acknowledged")
            ? "acknowledged_at = $5, acknowledged_by = $6, acknowledge_comment = $7"
            : "resolved_at = $5, resolved_by = $6, resolve_comment = $7";
    return sql.preparedQuery(
            "UPDATE alerts SET status = $4, "
                + set
                + " WHERE id = $1 AND portfolio_id = $2 AND tenant_id = $3 AND status = ANY($8)")
        .execute(
            Tuple.from(
                new Object[] {
                  alertId,
                  portfolioId,
                  tenantId,
                  to,
                  PortfolioRepository.time(at),
                  by,
                  comment,
                  from.toArray(new String[0])
                }))
        .map(rows -> rows.rowCount() == 1);
  }

  private static JsonObject alertJson(Row row) {
    JsonObject json =
        new Alert(
                row.getUUID("id"),
                row.getString("tenant_id"),
                row.getUUID("portfolio_id"),
                row.getString("rule"),
                row.getLong("rule_version"),
                row.getLong("company_id"),
                row.getString("country"),
                row.getString("national_id"),
                row.getString("name"),
                row.getString("reference"),
                row.getBigDecimal("exposure"),
                row.getInteger("score_before"),
                row.getInteger("score_after"),
                row.getString("level_before"),
                row.getString("level_after"),
                row.getString("cause"),
                row.getLong("cause_event_id"),
                row.getString("cause_event_kind"),
                PortfolioRepository.jsonb(row, "details"),
                row.getString("status"),
                PortfolioRepository.instant(row, "created_at"))
            .toJson();
    json.put("acknowledged", by(row, "acknowledged_at", "acknowledged_by", "acknowledge_comment"));
    json.put("resolved", by(row, "resolved_at", "resolved_by", "resolve_comment"));
    return json;
  }

  private static JsonObject by(Row row, String at, String who, String comment) {
    Instant when = PortfolioRepository.instant(row, at);
    return when == null
        ? null
        : new JsonObject()
            .put("at", when.toString())
            .put("by", row.getString(who))
            .put("comment", row.getString(comment));
  }

  /**
   * The members whose score fell most since {@code from}: the score then (the last history row at
   * or before it, else the first after it) against the current one, largest drop first, with every
   * change of the window and its cause. The page holds at most {@code limit}; {@code dropped}
   * counts them all.
   */
  Future<JsonObject> movers(SqlClient sql, UUID portfolioId, Instant from, int limit) {
    return sql.preparedQuery(
            "WITH m AS (SELECT m.company_id, m.reference, m.exposure, s.score, s.risk_level"
                + " FROM portfolio_members m JOIN company_scores s ON s.company_id = m.company_id"
                + " WHERE m.portfolio_id = $1 AND EXISTS (SELECT 1 FROM score_history h"
                + " WHERE h.company_id = m.company_id AND h.recorded_at > $2)),"
                + " d AS (SELECT m.*, COALESCE(b.score, f.score) - m.score AS drop,"
                + " COALESCE(b.score, f.score) AS score_then FROM m"
                + " LEFT JOIN LATERAL (SELECT score FROM score_history h"
                + " WHERE h.company_id = m.company_id AND h.recorded_at <= $2"
                + " ORDER BY recorded_at DESC, id DESC LIMIT 1) b ON true"
                + " LEFT JOIN LATERAL (SELECT score FROM score_history h"
                + " WHERE h.company_id = m.company_id AND h.recorded_at > $2"
                + " ORDER BY recorded_at, id LIMIT 1) f ON true)"
                + " SELECT d.*, c.country, c.national_id, c.name, count(*) OVER () AS dropped"
                + " FROM d JOIN companies c ON c.id = d.company_id WHERE d.drop > 0"
                + " ORDER BY d.drop DESC, d.reference LIMIT $3")
        .execute(Tuple.of(portfolioId, PortfolioRepository.time(from), limit))
        .compose(
            rows -> {
              Map<Long, JsonObject> movers = new LinkedHashMap<>();
              long dropped = 0;
              for (Row row : rows) {
                dropped = row.getLong("dropped");
                movers.put(
                    row.getLong("company_id"),
                    new JsonObject()
                        .put("reference", row.getString("reference"))
                        .put(
                            "company",
                            new JsonObject()
                                .put("country", row.getString("country"))
                                .put("id", row.getString("national_id"))
                                .put("name", row.getString("name")))
                        .put("exposure", row.getBigDecimal("exposure").toPlainString())
                        .put("score_then", row.getInteger("score_then"))
                        .put("score", row.getInteger("score"))
                        .put("risk_level", row.getString("risk_level"))
                        .put("drop", row.getInteger("drop"))
                        .put("changes", new JsonArray()));
              }
              long count = dropped;
              if (movers.isEmpty()) {
                return Future.succeededFuture(
                    new JsonObject().put("dropped", 0).put("movers", new JsonArray()));
              }
              return sql.preparedQuery(
                      "SELECT h.company_id, h.recorded_at, h.score, h.cause, h.cause_event_id,"
                          + " e.kind FROM score_history h"
                          + " LEFT JOIN company_events e ON e.id = h.cause_event_id"
                          + " WHERE h.company_id = ANY($1) AND h.recorded_at > $2"
                          + " ORDER BY h.company_id, h.recorded_at, h.id")
                  .execute(
                      Tuple.of(
                          movers.keySet().toArray(new Long[0]), PortfolioRepository.time(from)))
                  .map(
                      changes -> {
                        for (Row row : changes) {
                          JsonObject mover = movers.get(row.getLong("company_id"));
                          JsonArray list = mover.getJsonArray("changes");
                          int before =
                              list.isEmpty()
                                  ? mover.getInteger("score_then")
                                  : list.getJsonObject(list.size() - 1).getInteger("score_after");
                          list.add(
                              new JsonObject()
                                  .put(
                                      "at",
                                      PortfolioRepository.instant(row, "recorded_at").toString())
                                  .put("score_before", before)
                                  .put("score_after", row.getInteger("score"))
                                  .put("cause", row.getString("cause"))
                                  .put("cause_event_id", row.getLong("cause_event_id"))
                                  .put("cause_event_kind", row.getString("kind")));
                        }
                        JsonArray out = new JsonArray();
                        movers.values().forEach(out::add);
                        return new JsonObject().put("dropped", count).put("movers", out);
                      });
            });
  }
}
