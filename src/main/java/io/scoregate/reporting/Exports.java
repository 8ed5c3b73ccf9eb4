package io.scoregate.reporting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Data-warehouse exports, streamed from a cursor as CSV (RFC 4180, a header line, dot decimals, ISO
 * dates) or NDJSON (one JSON object a line), in constant memory. The column names are the contract
 * documented in docs/reporting.md: they change only by adding columns.
 */
final class Exports {

  /** One export: its columns, and how a row of its SQL gives their values in that order. */
  record Kind(String name, List<String> columns, String sql, Function<Row, List<Object>> values) {}

  /** One writer for every line: building a writer per row costs more than writing the row. */
  private static final ObjectWriter CSV =
      new CsvMapper().writer(CsvSchema.emptySchema().withLineSeparator("\r\n"));

  private static final String MEMBERS_CURRENT_SQL =
      "SELECT c.country, c.national_id, c.name, c.sector, c.region, pm.reference, pm.currency,"
          + " pm.added_at, pm.recommended_limit, pm.recommended_term, s.score, s.pd, s.grade,"
          + " s.risk_level, s.model_version, s.computed_at AS scored_at, "
          + MemberRisk.COLUMNS
          + """
          FROM portfolio_members pm JOIN companies c ON c.id = pm.company_id
          LEFT JOIN company_scores s ON s.company_id = pm.company_id
          WHERE pm.portfolio_id = $1 AND $3::timestamptz IS NOT NULL
          ORDER BY pm.reference
          """;

  /** Members held on a past day, with the last score recorded by the end of that day. */
  private static final String MEMBERS_AS_OF_SQL =
      "SELECT c.country, c.national_id, c.name, c.sector, c.region, pm.reference, pm.currency,"
          + " pm.added_at, pm.recommended_limit, pm.recommended_term, s.score, s.pd, s.grade,"
          + " s.risk_level, s.model_version, s.recorded_at AS scored_at, "
          + MemberRisk.COLUMNS
          + """
          FROM portfolio_members pm JOIN companies c ON c.id = pm.company_id
          LEFT JOIN LATERAL (
              SELECT h.score, h.pd, h.grade, h.risk_level, h.model_version, h.recorded_at
              FROM score_history h WHERE h.company_id = pm.company_id AND h.recorded_at < $3
              ORDER BY h.recorded_at DESC, h.id DESC LIMIT 1) s ON true
          WHERE pm.portfolio_id = $1 AND pm.added_at < $3
          ORDER BY pm.reference
          """;

  private static final List<String> MEMBER_COLUMNS =
      List.of(
          "as_of",
          "country",
          "company_id",
          "company_name",
          "sector",
          "naf_section",
          "region",
          "reference",
          "exposure",
          "currency",
          "added_at",
          "score",
          "pd",
          "grade",
          "risk_level",
          "scored_at",
          "recommended_limit",
          "recommended_term_days",
          "lgd",
          "ifrs9_stage",
          "ifrs9_ecl_simplified",
          "ifrs9_ecl_general",
          "basel_risk_weight",
          "basel_rwa",
          "model_version",
          "policy_version");

  private static final String ALERTS_SQL =
      """
      SELECT a.id, a.created_at, a.rule, c.country, c.national_id, c.name, a.reference, a.exposure,
             a.score_before, a.score_after, a.level_before, a.level_after, a.cause,
             a.cause_event_id, a.status, a.acknowledged_at, a.acknowledged_by, a.resolved_at,
             a.resolved_by
      FROM alerts a JOIN companies c ON c.id = a.company_id
      WHERE a.portfolio_id = $1 AND a.created_at >= $2 AND a.created_at < $3
      ORDER BY a.created_at, a.id
      """;

  private static final List<String> ALERT_COLUMNS =
      List.of(
          "alert_id",
          "created_at",
          "rule",
          "country",
          "company_id",
          "company_name",
          "reference",
          "exposure",
          "score_before",
          "score_after",
          "level_before",
          "level_after",
          "cause",
          "cause_event_id",
          "status",
          "acknowledged_at",
          "acknowledged_by",
          "resolved_at",
          "resolved_by");

  private static final String HISTORY_SQL =
      """
      SELECT h.recorded_at, c.country, c.national_id, c.name, pm.reference, h.score, h.pd, h.grade,
             h.risk_level, h.model_version, h.cause, h.cause_event_id
      FROM portfolio_members pm JOIN companies c ON c.id = pm.company_id
      JOIN score_history h ON h.company_id = pm.company_id
      WHERE pm.portfolio_id = $1 AND h.recorded_at >= $2 AND h.recorded_at < $3
      ORDER BY h.recorded_at, h.id
      """;

  private static final List<String> HISTORY_COLUMNS =
      List.of(
          "recorded_at",
          "country",
          "company_id",
          "company_name",
          "reference",
          "score",
          "pd",
          "grade",
          "risk_level",
          "model_version",
          "cause",
          "cause_event_id");

  /**
   * The tenant's ($1) decisions of a period from the journal. Rows written by reference take the
   * score from their assessment; rows written before by value read their record.
   */
  private static final String DECISIONS_SQL =
      """
      SELECT j.decision_id, j.created_at, j.request_id, j.country, j.national_id,
             coalesce(j.amount, (j.record::jsonb #>> '{requested,amount}')::float8) AS amount,
             coalesce(j.payment_term, (j.record::jsonb #>> '{requested,payment_term}')::int)
               AS payment_term,
             coalesce(j.recommendation, j.record::jsonb ->> 'recommendation') AS recommendation,
             coalesce(j.max_amount, (j.record::jsonb ->> 'max_amount')::float8::bigint) AS max_amount,
             coalesce(j.max_payment_term, (j.record::jsonb ->> 'max_payment_term')::int)
               AS max_payment_term,
             coalesce(a.score, (j.record::jsonb ->> 'score')::int) AS score,
             coalesce(a.pd, (j.record::jsonb ->> 'pd')::float8) AS pd,
             coalesce(a.risk_level, j.record::jsonb ->> 'risk_level') AS risk_level,
             j.model_version, j.policy_version
      FROM decision_journal j
      LEFT JOIN assessments a ON a.hash = j.assessment_hash
      WHERE j.tenant_id = $1 AND j.created_at >= $2 AND j.created_at < $3
      ORDER BY j.created_at, j.decision_id
      """;

  private static final List<String> DECISION_COLUMNS =
      List.of(
          "decision_id",
          "created_at",
          "request_id",
          "country",
          "company_id",
          "amount",
          "payment_term_days",
          "recommendation",
          "max_amount",
          "max_payment_term_days",
          "score",
          "pd",
          "risk_level",
          "model_version",
          "policy_version");

  private final ReportingService service;
  private final String platformPolicyVersion;

  Exports(ReportingService service, String platformPolicyVersion) {
    this.service = service;
    this.platformPolicyVersion = platformPolicyVersion;
  }

  /** The members of a portfolio on a day (today: with current scores), with their figures. */
  Kind members(LocalDate asOf) {
    boolean today = !asOf.isBefore(service.today());
    MemberRisk risk = service.risk();
    ReportingConfig config = service.config();
    return new Kind(
        "members",
        MEMBER_COLUMNS,
        today ? MEMBERS_CURRENT_SQL : MEMBERS_AS_OF_SQL,
        row -> {
          MemberRisk.Figures f = risk.of(row);
          List<Object> v = new ArrayList<>(MEMBER_COLUMNS.size());
          v.add(asOf.toString());
          v.add(row.getString("country"));
          v.add(row.getString("national_id"));
          v.add(row.getString("name"));
          v.add(row.getString("sector"));
          v.add(row.getString("section"));
          v.add(row.getString("region"));
          v.add(row.getString("reference"));
          v.add(amount(row.getBigDecimal("exposure")));
          v.add(row.getString("currency"));
          v.add(instant(row.getOffsetDateTime("added_at")));
          v.add(row.getInteger("score"));
          v.add(row.getDouble("pd"));
          v.add(row.getString("grade"));
          v.add(row.getString("risk_level"));
          v.add(instant(row.getOffsetDateTime("scored_at")));
          v.add(amount(row.getBigDecimal("recommended_limit")));
          v.add(row.getInteger("recommended_term"));
          v.add(config.lgd(row.getString("section")));
          v.add(f == null ? null : f.stage());
          v.add(f == null ? null : money(f.eclSimplified()));
          v.add(f == null ? null : money(f.eclGeneral()));
          v.add(f == null ? null : f.riskWeight());
          v.add(f == null ? null : money(f.rwa()));
          v.add(row.getString("model_version"));
          v.add(platformPolicyVersion);
          return v;
        });
  }

  Kind alerts() {
    return new Kind(
        "alerts",
        ALERT_COLUMNS,
        ALERTS_SQL,
        row ->
            java.util.Arrays.asList(
                row.getUUID("id").toString(),
                instant(row.getOffsetDateTime("created_at")),
                row.getString("rule"),
                row.getString("country"),
                row.getString("national_id"),
                row.getString("name"),
                row.getString("reference"),
                amount(row.getBigDecimal("exposure")),
                row.getInteger("score_before"),
                row.getInteger("score_after"),
                row.getString("level_before"),
                row.getString("level_after"),
                row.getString("cause"),
                row.getLong("cause_event_id"),
                row.getString("status"),
                instant(row.getOffsetDateTime("acknowledged_at")),
                row.getString("acknowledged_by"),
                instant(row.getOffsetDateTime("resolved_at")),
                row.getString("resolved_by")));
  }

  Kind scoreHistory() {
    return new Kind(
        "score-history",
        HISTORY_COLUMNS,
        HISTORY_SQL,
        row ->
            java.util.Arrays.asList(
                instant(row.getOffsetDateTime("recorded_at")),
                row.getString("country"),
                row.getString("national_id"),
                row.getString("name"),
                row.getString("reference"),
                row.getInteger("score"),
                row.getDouble("pd"),
                row.getString("grade"),
                row.getString("risk_level"),
                row.getString("model_version"),
                row.getString("cause"),
                row.getLong("cause_event_id")));
  }

  Kind decisions() {
    return new Kind(
        "decisions",
        DECISION_COLUMNS,
        DECISIONS_SQL,
        row ->
            java.util.Arrays.asList(
                row.getUUID("decision_id").toString(),
                instant(row.getOffsetDateTime("created_at")),
                row.getString("request_id"),
                row.getString("country"),
                row.getString("national_id"),
                row.getDouble("amount"),
                row.getInteger("payment_term"),
                row.getString("recommendation"),
                row.getLong("max_amount"),
                row.getInteger("max_payment_term"),
                row.getInteger("score"),
                row.getDouble("pd"),
                row.getString("risk_level"),
                row.getString("model_version"),
                row.getString("policy_version")));
  }

  /**
   * Streams the export to {@code out}: the CSV header first, then a line per row. {@code params}
   * are $1 the portfolio and then what the kind's SQL reads ($2 and $3: a period, or the past-due
   * lookback and the end of the as-of day).
   */
  Future<Void> write(Kind kind, boolean csv, Tuple params, WriteStream<Buffer> out) {
    if (csv) {
      out.write(csvLine(new ArrayList<>(kind.columns())));
    }
    return service.eachMemberTo(
        kind.sql(),
        params,
        row -> {
          List<Object> values = kind.values().apply(row);
          if (csv) {
            return csvLine(values);
          }
          JsonObject line = new JsonObject();
          for (int i = 0; i < values.size(); i++) {
            line.put(kind.columns().get(i), values.get(i));
          }
          return line.toBuffer().appendString("\n");
        },
        out);
  }

  static Tuple memberParams(UUID portfolio, LocalDate pastDueFrom, LocalDate asOf) {
    return Tuple.of(
        portfolio, pastDueFrom, asOf.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
  }

  private static Buffer csvLine(List<Object> values) {
    // Plain decimals (0.0001, never 1.0E-4): what spreadsheet and BI tools read everywhere.
    values.replaceAll(
        v ->
            v instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : v);
    try {
      return Buffer.buffer(CSV.writeValueAsBytes(values));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String amount(BigDecimal value) {
    return ReportingRepository.amount(value);
  }

  private static String money(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
