package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Portfolios, their alert rules and the rules' history in Postgres. Every read and write of a
 * portfolio names its tenant, so another tenant's portfolio is never found.
 */
final class PortfolioRepository {

  private static final String PORTFOLIO_COLUMNS = "id, tenant_id, name, created_at, updated_at";

  /**
   * Writes the history rows and sets the rules in force from them, in one statement: each rule's
   * version is its history row.
   */
  private static final String SET_RULES =
      "WITH h AS (INSERT INTO alert_rule_history (tenant_id, portfolio_id, rule, enabled, params,"
          + " min_exposure, changed_at, changed_by, change)"
          + " SELECT $1, $2, r.rule, r.enabled, r.params::jsonb, r.min_exposure::numeric, $3, $4, $5"
          + " FROM unnest($6::text[], $7::boolean[], $8::text[], $9::text[])"
          + " AS r(rule, enabled, params, min_exposure)"
          + " RETURNING id, portfolio_id, rule, enabled, params, min_exposure, changed_at, changed_by)"
          + " INSERT INTO alert_rules (portfolio_id, rule, enabled, params, min_exposure, version,"
          + " updated_at, updated_by)"
          + " SELECT portfolio_id, rule, enabled, params, min_exposure, id, changed_at, changed_by"
          + " FROM h ON CONFLICT (portfolio_id, rule) DO UPDATE SET enabled = EXCLUDED.enabled,"
          + " params = EXCLUDED.params, min_exposure = EXCLUDED.min_exposure,"
          + " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,"
          + " updated_by = EXCLUDED.updated_by";

  Future<Portfolio> insert(SqlClient tx, Portfolio p) {
    return tx.preparedQuery(
            "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at)"
                + " VALUES ($1, $2, $3, $4, $4)")
        .execute(Tuple.of(p.id(), p.tenantId(), p.name(), time(p.createdAt())))
        .map(rows -> p);
  }

  /** The tenant's portfolio, or null: another tenant's is not found either. */
  Future<Portfolio> find(SqlClient sql, String tenantId, UUID id) {
    return sql.preparedQuery(
            "SELECT " + PORTFOLIO_COLUMNS + " FROM portfolios WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? null : portfolio(rows.iterator().next()));
  }

  /** The same, locked until the transaction ends: rule changes and deletion wait for each other. */
  Future<Portfolio> lock(SqlClient tx, String tenantId, UUID id) {
    return tx.preparedQuery(
            "SELECT "
                + PORTFOLIO_COLUMNS
                + " FROM portfolios WHERE id = $1 AND tenant_id = $2 FOR UPDATE")
        .execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? null : portfolio(rows.iterator().next()));
  }

  /** A page of the tenant's portfolios, oldest first, after the given one (keyset). */
  Future<List<Portfolio>> list(
      SqlClient sql, String tenantId, Instant afterCreated, UUID afterId, int limit) {
    return sql.preparedQuery(
            "SELECT "
                + PORTFOLIO_COLUMNS
                + " FROM portfolios WHERE tenant_id = $1"
                + " AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3))"
                + " ORDER BY created_at, id LIMIT $4")
        .execute(Tuple.of(tenantId, time(afterCreated), afterId, limit))
        .map(PortfolioRepository::portfolios);
  }

  Future<Portfolio> rename(SqlClient sql, String tenantId, UUID id, String name, Instant at) {
    return sql.preparedQuery(
            "UPDATE portfolios SET name = $3, updated_at = $4 WHERE id = $1 AND tenant_id = $2"
                + " RETURNING "
                + PORTFOLIO_COLUMNS)
        .execute(Tuple.of(id, tenantId, name, time(at)))
        .map(rows -> rows.size() == 0 ? null : portfolio(rows.iterator().next()));
  }

  /**
   * Deletes the portfolio with its members, rules and conditions; its alerts and rule history stay,
   * closed by a history row per rule saying when and by whom.
   */
  Future<Boolean> delete(SqlClient tx, String tenantId, UUID id, String by, Instant at) {
    return tx.preparedQuery(
            "INSERT INTO alert_rule_history (tenant_id, portfolio_id, rule, enabled, params,"
                + " min_exposure, changed_at, changed_by, change)"
                + " SELECT $2, portfolio_id, rule, false, params, min_exposure, $3, $4,"
                + " 'portfolio_deleted' FROM alert_rules WHERE portfolio_id = $1")
        .execute(Tuple.of(id, tenantId, time(at), by))
        .compose(
            ignored ->
                tx.preparedQuery("DELETE FROM portfolios WHERE id = $1 AND tenant_id = $2")
                    .execute(Tuple.of(id, tenantId)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Sets the given rules (created or changed), each with a new history row. */
  Future<Void> setRules(
      SqlClient tx,
      String tenantId,
      UUID portfolioId,
      List<AlertRules.Rule> rules,
      String change,
      String by,
      Instant at) {
    int n = rules.size();
    String[] names = new String[n];
    Boolean[] enabled = new Boolean[n];
    String[] params = new String[n];
    String[] minExposure = new String[n];
    for (int i = 0; i < n; i++) {
      AlertRules.Rule r = rules.get(i);
      names[i] = r.name();
      enabled[i] = r.enabled();
      params[i] = r.params().encode();
      minExposure[i] = r.minExposure() == null ? null : r.minExposure().toPlainString();
    }
    return tx.preparedQuery(SET_RULES)
        .execute(
            Tuple.from(
                new Object[] {
                  tenantId, portfolioId, time(at), by, change, names, enabled, params, minExposure
                }))
        .mapEmpty();
  }

  /** The rules in force of these portfolios, in the API's order per portfolio. */
  Future<List<PortfolioRule>> rules(SqlClient sql, UUID[] portfolioIds) {
    return sql.preparedQuery(
            "SELECT portfolio_id, rule, enabled, params, min_exposure, version FROM alert_rules"
                + " WHERE portfolio_id = ANY($1) ORDER BY portfolio_id, rule")
        .execute(Tuple.of(portfolioIds))
        .map(
            rows -> {
              List<PortfolioRule> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new PortfolioRule(
                        row.getUUID("portfolio_id"),
                        new AlertRules.Rule(
                            row.getString("rule"),
                            row.getBoolean("enabled"),
                            jsonb(row, "params"),
                            row.getBigDecimal("min_exposure"),
                            row.getLong("version"))));
              }
              return out;
            });
  }

  /** A rule of a portfolio. */
  record PortfolioRule(UUID portfolioId, AlertRules.Rule rule) {}

  /** A page of the portfolio's rule history, newest first, before the given version (keyset). */
  Future<List<RuleChange>> history(SqlClient sql, UUID portfolioId, Long beforeVersion, int limit) {
    return sql.preparedQuery(
            "SELECT id, rule, enabled, params, min_exposure, change, changed_by, changed_at"
                + " FROM alert_rule_history WHERE portfolio_id = $1"
                + " AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(portfolioId, beforeVersion, limit))
        .map(
            rows -> {
              List<RuleChange> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new RuleChange(
                        row.getLong("id"),
                        row.getString("rule"),
                        row.getBoolean("enabled"),
                        jsonb(row, "params"),
                        row.getBigDecimal("min_exposure"),
                        row.getString("change"),
                        row.getString("changed_by"),
                        instant(row, "changed_at")));
              }
              return out;
            });
  }

  static JsonObject jsonb(Row row, String column) {
    Object value = row.getValue(column);
    if (value instanceof JsonObject json) {
      return json;
    }
    return value == null ? new JsonObject() : new JsonObject(value.toString());
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static BigDecimal decimal(Row row, String column) {
    return row.getBigDecimal(column);
  }

  private static List<Portfolio> portfolios(RowSet<Row> rows) {
    List<Portfolio> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(portfolio(row)));
    return out;
  }

  private static Portfolio portfolio(Row row) {
    return new Portfolio(
        row.getUUID("id"),
        row.getString("tenant_id"),
        row.getString("name"),
        instant(row, "created_at"),
        instant(row, "updated_at"));
  }
}
