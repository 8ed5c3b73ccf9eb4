package io.scoregate.company;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads companies with their statements and events for scoring: one query per company, or one for
 * many.
 */
public final class CompanyRepository {

  /** Statement line columns, in {@link StatementLines} order after fiscal_year. */
  static final List<String> LINE_COLUMNS =
      List.of(
          "total_assets",
          "fixed_assets",
          "current_assets",
          "inventory",
          "receivables",
          "cash",
          "short_term_securities",
          "equity",
          "share_capital",
          "retained_earnings",
          "total_liabilities",
          "short_term_liabilities",
          "long_term_liabilities",
          "sales",
          "cost_of_products_sold",
          "operating_expenses",
          "total_costs",
          "profit_on_sales",
          "operating_profit",
          "financial_expenses",
          "interest",
          "extraordinary_items",
          "gross_profit",
          "ebit",
          "depreciation",
          "net_profit");

  private static final String SNAPSHOT_SELECT =
      """
      SELECT c.id, c.country, c.national_id, c.name, c.status, c.legal_form, c.sector, c.region, c.created_on,
        (SELECT json_agg(s) FROM (
            SELECT fiscal_year, period_end, %s
            FROM financial_statements WHERE company_id = c.id
            ORDER BY fiscal_year DESC LIMIT 3) s) AS statements,
        p.proceeding_kind, p.occurred_on AS proceeding_since,
        i.incidents, i.incident_amount, i.max_days_late,
        cs.score AS stored_score, cs.pd AS stored_pd, cs.risk_level AS stored_level,
        cs.model_version AS stored_model, cs.data_as_of AS stored_data_as_of,
        cs.grade AS stored_grade
      FROM companies c
      LEFT JOIN company_scores cs ON cs.company_id = c.id
      LEFT JOIN LATERAL (
          SELECT proceeding_kind, occurred_on FROM company_events
          WHERE company_id = c.id AND kind = 'insolvency_proceeding' AND closed_on IS NULL
          ORDER BY CASE proceeding_kind WHEN 'liquidation_judiciaire' THEN 0
                   WHEN 'redressement_judiciaire' THEN 1 ELSE 2 END, occurred_on DESC
          LIMIT 1) p ON true
      LEFT JOIN LATERAL (
          SELECT count(*)::int AS incidents, coalesce(sum(amount), 0)::float8 AS incident_amount,
                 coalesce(max(days_late), 0)::int AS max_days_late
          FROM company_events
          WHERE company_id = c.id AND kind = 'payment_incident' AND occurred_on >= :since) i ON true
      """
          .formatted(
              String.join(", ", LINE_COLUMNS.stream().map(c -> c + "::float8 AS " + c).toList()));

  private static final String SNAPSHOT_SQL =
      SNAPSHOT_SELECT.replace(":since", "$3") + " WHERE c.country = $1 AND c.national_id = $2";

  private static final String SNAPSHOTS_SQL =
      SNAPSHOT_SELECT.replace(":since", "$2") + " WHERE c.id = ANY($1)";

  private static final String BY_LEI_SQL =
      "SELECT country, national_id FROM companies WHERE lei = $1";

  private final SqlClient client;

  public CompanyRepository(SqlClient client) {
    this.client = client;
  }

  /** The company's snapshot, or null when no company has this key. */
  public Future<CompanySnapshot> snapshot(CompanyKey key, LocalDate incidentsSince) {
    return client
        .preparedQuery(SNAPSHOT_SQL)
        .execute(Tuple.of(key.country(), key.nationalId(), incidentsSince))
        .map(rows -> toSnapshot(key, rows));
  }

  /**
   * The snapshots of the companies with these ids, by id, in one query; ids of no company are
   * absent.
   */
  public Future<Map<Long, CompanySnapshot>> snapshots(Long[] ids, LocalDate incidentsSince) {
    return client
        .preparedQuery(SNAPSHOTS_SQL)
        .execute(Tuple.of(ids, incidentsSince))
        .map(
            rows -> {
              Map<Long, CompanySnapshot> out = new HashMap<>();
              for (Row row : rows) {
                CompanySnapshot s =
                    toSnapshot(
                        new CompanyKey(row.getString("country"), row.getString("national_id")),
                        row);
                out.put(s.id(), s);
              }
              return out;
            });
  }

  /** The key of the company with this LEI, or null. */
  public Future<CompanyKey> keyByLei(String lei) {
    return client
        .preparedQuery(BY_LEI_SQL)
        .execute(Tuple.of(lei))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new CompanyKey(row.getString(0), row.getString(1));
            });
  }

  private static CompanySnapshot toSnapshot(CompanyKey key, RowSet<Row> rows) {
    return rows.size() == 0 ? null : toSnapshot(key, rows.iterator().next());
  }

  private static CompanySnapshot toSnapshot(CompanyKey key, Row row) {
    List<StatementLines> statements = new ArrayList<>(3);
    LocalDate dataAsOf = null;
    Object raw = row.getValue("statements");
    if (raw != null) {
      JsonArray array = raw instanceof JsonArray a ? a : new JsonArray(raw.toString());
      for (int i = 0; i < array.size(); i++) {
        JsonObject s = array.getJsonObject(i);
        statements.add(toLines(s));
        if (i == 0) {
          String periodEnd = s.getString("period_end");
          dataAsOf =
              periodEnd != null
                  ? LocalDate.parse(periodEnd)
                  : LocalDate.of(s.getInteger("fiscal_year"), 12, 31);
        }
      }
    }
    String kind = row.getString("proceeding_kind");
    Integer incidents = row.getInteger("incidents");
    EventSummary events =
        new EventSummary(
            kind,
            row.getLocalDate("proceeding_since"),
            incidents == null ? 0 : incidents,
            row.getDouble("incident_amount") == null ? 0 : row.getDouble("incident_amount"),
            row.getInteger("max_days_late") == null ? 0 : row.getInteger("max_days_late"));
    return new CompanySnapshot(
        row.getLong("id"),
        key,
        row.getString("name"),
        row.getString("status"),
        List.copyOf(statements),
        dataAsOf,
        events,
        new CompanyProfile(
            row.getLong("id"),
            row.getString("legal_form"),
            row.getString("sector"),
            row.getString("region"),
            row.getLocalDate("created_on"),
            "ceased".equals(row.getString("status"))),
        row.getString("stored_model") == null
            ? null
            : new StoredScore(
                row.getInteger("stored_score"),
                row.getDouble("stored_pd"),
                row.getString("stored_level"),
                row.getString("stored_model"),
                row.getLocalDate("stored_data_as_of"),
                row.getString("stored_grade")));
  }

  static StatementLines toLines(JsonObject s) {
    double[] v = new double[LINE_COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      Number n = s.getNumber(LINE_COLUMNS.get(i));
      v[i] = n == null ? Double.NaN : n.doubleValue();
    }
    return lines(s.getInteger("fiscal_year"), v);
  }

  /** Statement lines from values in {@link #LINE_COLUMNS} order. */
  static StatementLines lines(int fiscalYear, double[] v) {
    return new StatementLines(
        fiscalYear,
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        v[8],
        v[9],
        v[10],
        v[11],
        v[12],
        v[13],
        v[14],
        v[15],
        v[16],
        v[17],
        v[18],
        v[19],
        v[20],
        v[21],
        v[22],
        v[23],
        v[24],
        v[25]);
  }

  /** The values of {@link #LINE_COLUMNS}, in order. */
  static double[] values(StatementLines s) {
    return new double[] {
      s.totalAssets(),
      s.fixedAssets(),
      s.currentAssets(),
      s.inventory(),
      s.receivables(),
      s.cash(),
      s.shortTermSecurities(),
      s.equity(),
      s.shareCapital(),
      s.retainedEarnings(),
      s.totalLiabilities(),
      s.shortTermLiabilities(),
      s.longTermLiabilities(),
      s.sales(),
      s.costOfProductsSold(),
      s.operatingExpenses(),
      s.totalCosts(),
      s.profitOnSales(),
      s.operatingProfit(),
      s.financialExpenses(),
      s.interest(),
      s.extraordinaryItems(),
      s.grossProfit(),
      s.ebit(),
      s.depreciation(),
      s.netProfit()
    };
  }
}
