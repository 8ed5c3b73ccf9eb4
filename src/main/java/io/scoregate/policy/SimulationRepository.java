package io.scoregate.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a simulation replays: a tenant's journaled decisions of a period, or a portfolio's members.
 */
public final class SimulationRepository {

  /** One journaled decision: its record as stored. */
  public record Decided(UUID decisionId, Instant at, JsonObject record) {}

  /** One member of a portfolio, with what the tenant has at stake. */
  public record Member(
      String country, String nationalId, String reference, double exposure, Integer paymentTerm) {}

  private static final String DECISIONS_SQL =
      """
      SELECT j.decision_id, j.created_at, j.record, a.body, j.recommendation, j.max_amount,
             j.amount, j.payment_term, j.policy_version
      FROM decision_journal j LEFT JOIN assessments a ON a.hash = j.assessment_hash
      WHERE j.tenant_id = $1 AND j.created_at >= $2 AND j.created_at < $3
      ORDER BY j.created_at, j.decision_id LIMIT $4
      """;

  private static final String MEMBERS_SQL =
      """
      SELECT c.country, c.national_id, m.reference, m.exposure::float8, m.payment_terms_days
      FROM portfolios p JOIN portfolio_members m ON m.portfolio_id = p.id
      JOIN companies c ON c.id = m.company_id
      WHERE p.id = $1 AND p.tenant_id = $2
      ORDER BY m.reference LIMIT $3
      """;

  private static final String PORTFOLIO_SQL =
      "SELECT 1 FROM portfolios WHERE id = $1 AND tenant_id = $2";

  private final SqlClient client;

  public SimulationRepository(SqlClient client) {
    this.client = client;
  }

  public Future<List<Decided>> decisions(String tenantId, Instant from, Instant to, int limit) {
    return client
        .preparedQuery(DECISIONS_SQL)
        .execute(
            Tuple.of(tenantId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
        .map(
            rows -> {
              List<Decided> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new Decided(row.getUUID(0), row.getOffsetDateTime(1).toInstant(), record(row)));
              }
              return out;
            });
  }

  /**
   * A decision as one JSON record: as written by rows that hold a record, else the referenced
   * assessment with the decision's own values (what was asked, what was answered).
   */
  private static JsonObject record(Row row) {
    if (row.getString(2) != null) {
      return new JsonObject(row.getString(2));
    }
    JsonObject assessment =
        row.getString(3) == null ? new JsonObject() : new JsonObject(row.getString(3));
    JsonObject record = assessment.copy();
    double monthlySales = assessment.getDouble("monthly_sales", 0.0);
    JsonObject inputs =
        PolicyInputs.fromRecord(
                assessment.put(
                    "requested",
                    new JsonObject()
                        .put("amount", row.getDouble(6))
                        .put("payment_term", row.getInteger(7))))
            .toJson()
            .put("grade", assessment.getString("grade", ""))
            .put("sales", monthlySales * 12)
            .put("equity", assessment.getDouble("equity", 0.0));
    return record
        .put("recommendation", row.getString(4))
        .put("max_amount", row.getLong(5))
        .put("policy_version", row.getString(8))
        .put("policy_inputs", inputs);
  }

  /** The portfolio's members, or null when the tenant has no such portfolio. */
  public Future<List<Member>> members(String tenantId, UUID portfolioId, int limit) {
    return client
        .preparedQuery(PORTFOLIO_SQL)
        .execute(Tuple.of(portfolioId, tenantId))
        .compose(
            found ->
                found.size() == 0
                    ? Future.succeededFuture(null)
                    : client
                        .preparedQuery(MEMBERS_SQL)
                        .execute(Tuple.of(portfolioId, tenantId, limit))
                        .map(
                            rows -> {
                              List<Member> out = new ArrayList<>(rows.size());
                              for (Row row : rows) {
                                out.add(
                                    new Member(
                                        row.getString(0),
                                        row.getString(1),
                                        row.getString(2),
                                        row.getDouble(3),
                                        row.getInteger(4)));
                              }
                              return out;
                            }));
  }
}
