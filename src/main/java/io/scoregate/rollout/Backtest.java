package io.scoregate.rollout;

import io.scoregate.model.Metrics;
import io.scoregate.model.ValidationReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Back-testing of the model on its own decisions: the journal says what PD each company got, the
 * events that came later say which ones defaulted. For each time window: the first decision on each
 * company in it (a company decided a hundred times counts once), its PD and grade, and whether a
 * default followed within the horizon: an insolvency proceeding opened, or a payment incident 90
 * days or more late (the Basel definition of past due). Companies already in proceedings when
 * decided are left out. Windows whose horizon has not passed yet are marked immature: their
 * realized rates can still rise.
 */
public final class Backtest {

  /** The windows a back-test groups decisions by. */
  public enum Window {
    MONTH,
    QUARTER;

    String sql() {
      return this == MONTH ? "month" : "quarter";
    }
  }

  private static final String SQL =
      "WITH d AS ("
          + " SELECT DISTINCT ON (date_trunc($4, j.created_at), j.country, j.national_id)"
          + "   date_trunc($4, j.created_at) AS win, j.created_at, j.country, j.national_id,"
          + "   j.model_version, COALESCE((j.record::json ->> 'pd')::float8, a.pd) AS pd"
          // Rows since V8 reference their assessment; older ones carry it in their record.
          + " FROM decision_journal j LEFT JOIN assessments a ON a.hash = j.assessment_hash"
          + " WHERE j.created_at >= $1 AND j.created_at < $2"
          + "   AND COALESCE((j.record::json ->> 'pd')::float8, a.pd) IS NOT NULL"
          + "   AND (COALESCE(j.record, a.body)::json -> 'events' ->> 'open_proceeding') IS NULL"
          + " ORDER BY date_trunc($4, j.created_at), j.country, j.national_id, j.created_at)"
          + " SELECT d.win, d.model_version, d.pd,"
          + "   EXISTS (SELECT 1 FROM companies c JOIN company_events e ON e.company_id = c.id"
          + "     WHERE c.country = d.country AND c.national_id = d.national_id"
          + "       AND (e.kind = 'insolvency_proceeding'"
          + "            OR (e.kind = 'payment_incident' AND e.days_late >= 90))"
          + "       AND e.occurred_on > d.created_at::date"
          + "       AND e.occurred_on <= (d.created_at + make_interval(months => $3))::date),"
          + "   d.created_at + make_interval(months => $3) <= $5 AS mature"
          + " FROM d ORDER BY d.win";

  private final SqlClient client;

  public Backtest(SqlClient client) {
    this.client = client;
  }

  /** The report for decisions made in [from, to), as of {@code now}. */
  public Future<JsonObject> run(
      LocalDate from, LocalDate to, Window window, int horizonMonths, Instant now) {
    return client
        .preparedQuery(SQL)
        .execute(
            Tuple.of(
                from.atStartOfDay().atOffset(ZoneOffset.UTC),
                to.atStartOfDay().atOffset(ZoneOffset.UTC),
                horizonMonths,
                window.sql(),
                now.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              Map<LocalDate, Group> windows = new LinkedHashMap<>();
              Group all = new Group();
              for (Row r : rows) {
                LocalDate start = r.getOffsetDateTime(0).toLocalDate();
                Group g = windows.computeIfAbsent(start, k -> new Group());
                g.add(r.getString(1), r.getDouble(2), r.getBoolean(3), r.getBoolean(4));
                all.add(r.getString(1), r.getDouble(2), r.getBoolean(3), r.getBoolean(4));
              }
              JsonArray out = new JsonArray();
              windows.forEach((start, g) -> out.add(g.json().put("window", start.toString())));
              return new JsonObject()
                  .put("from", from.toString())
                  .put("to", to.toString())
                  .put("window", window.sql())
                  .put("horizon_months", horizonMonths)
                  .put("as_of", now.toString())
                  .put(
                      "default_definition",
                      "insolvency proceeding opened, or a payment incident 90 days or more late,"
                          + " within the horizon after the decision")
                  .put("overall", all.json())
                  .put("windows", out);
            });
  }

  /** The observations of one window. */
  private static final class Group {
    private final List<Double> pd = new ArrayList<>();
    private final List<Integer> label = new ArrayList<>();
    private final Map<String, Integer> models = new LinkedHashMap<>();
    private boolean mature = true;

    void add(String model, double p, boolean defaulted, boolean matureRow) {
      pd.add(p);
      label.add(defaulted ? 1 : 0);
      models.merge(model, 1, Integer::sum);
      mature &= matureRow;
    }

    JsonObject json() {
      double[] p = pd.stream().mapToDouble(Double::doubleValue).toArray();
      int[] y = label.stream().mapToInt(Integer::intValue).toArray();
      int defaults = label.stream().mapToInt(Integer::intValue).sum();
      JsonObject out =
          new JsonObject()
              .put("companies", p.length)
              .put("defaults", defaults)
              .put("realized_default_rate", p.length == 0 ? null : (double) defaults / p.length)
              .put("mean_pd", p.length == 0 ? null : Arrays.stream(p).average().orElse(0))
              .put("mature", mature)
              .put("models", new JsonObject(new LinkedHashMap<>(models)));
      boolean bothClasses = defaults > 0 && defaults < p.length;
      if (bothClasses && defaults >= 2 && p.length - defaults >= 2) {
        Metrics.Interval auc = Metrics.aucWithInterval(p, y);
        out.put("auc", auc.value()).put("auc_ci95_low", auc.low()).put("auc_ci95_high", auc.high());
      } else {
        out.put("auc", bothClasses ? Metrics.auc(p, y) : null);
      }
      // The validation report's table: observed against predicted per grade, Jeffreys tests.
      JsonArray grades = new JsonArray(ValidationReport.calibration(p, y).toString());
      return out.put("grades", grades);
    }
  }
}
