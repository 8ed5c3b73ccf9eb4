package io.scoregate.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a simulation replays: a tenant's journaled decisions of a period, or a portfolio's members.
 */
public final class SimulationRepository {

  /**
   * One journaled decision as a simulation replays it: what was decided, the policy inputs it had
   * and the platform amount cap in force ({@code null} when the row predates recording it), and the
   * names of the inputs the journal did not record for it ({@value #AMOUNT_CAP} for the cap), which
   * are replayed reconstructed: neutral, or for rows written before V8 what their record says.
   */
  public record Decided(
      UUID decisionId,
      Instant at,
      JsonObject company,
      String policyVersion,
      String policyRule,
      Recommendation recommendation,
      long maxAmount,
      PolicyInputs inputs,
      Double amountCap,
      Set<String> unrecorded) {}

  /** The name under which an unrecorded platform amount cap is reported. */
  public static final String AMOUNT_CAP = "amount_cap";

  /** What an assessment recorded before its {@code profile} member existed leaves out. */
  private static final List<String> PROFILE_INPUTS =
      List.of("sector", "region", "legal_form", "age_years", "ceased");

  /** What an assessment recorded before its {@code master_scale} member existed leaves out. */
  private static final List<String> MASTER_SCALE_INPUTS =
      List.of("default_recommendation", "default_max_amount", "default_max_payment_term");

  /** What a record written before V8 says, when it holds no {@code policy_inputs}. */
  private static final Set<String> IN_RECORDS =
      Set.of(
          "scored",
          "score",
          "pd",
          "risk_level",
          "amount",
          "payment_term",
          "country",
          "open_proceeding",
          "proceeding_kind",
          "incidents_12m",
          "incident_amount_12m");

  /** One member of a portfolio, with what the tenant has at stake. */
  public record Member(
      String country, String nationalId, String reference, double exposure, Integer paymentTerm) {}

  private static final String DECISIONS_SQL =
      """
      SELECT j.decision_id, j.created_at, j.record, a.body, j.recommendation, j.max_amount,
             j.amount, j.payment_term, j.policy_version, j.policy_rule, j.exposure, j.amount_cap
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
                out.add(row.getString(2) != null ? fromRecord(row) : byReference(row));
              }
              return out;
            });
  }

  /**
   * A row by reference: the inputs from its assessment (the company's facts, events, profile and
   * the master scale's outcome; the age counted to the decision's day, as the decision counted it)
   * and from the row (the request, the exposure read, the cap in force).
   */
  private static Decided byReference(Row row) {
    Instant at = row.getOffsetDateTime(1).toInstant();
    JsonObject a = row.getString(3) == null ? new JsonObject() : new JsonObject(row.getString(3));
    Set<String> unrecorded = new TreeSet<>();
    Number score = a.getNumber("score");
    boolean scored = score != null;
    JsonObject company = a.getJsonObject("company", new JsonObject());
    JsonObject events = a.getJsonObject("events", new JsonObject());
    String proceeding = events.getString("open_proceeding");
    JsonObject profile = a.getJsonObject("profile");
    if (profile == null) {
      unrecorded.addAll(PROFILE_INPUTS);
      profile = new JsonObject();
    }
    String createdOn = profile.getString("created_on");
    JsonObject scale = a.getJsonObject("master_scale");
    if (scale == null) {
      unrecorded.addAll(MASTER_SCALE_INPUTS);
      scale = new JsonObject();
    }
    Double exposure = row.getDouble(10);
    if (exposure == null) {
      unrecorded.add(PolicyInputs.EXPOSURE);
    }
    Double cap = row.getDouble(11);
    if (cap == null) {
      unrecorded.add(AMOUNT_CAP);
    }
    double monthlySales = a.getDouble("monthly_sales", 0.0);
    PolicyInputs in =
        new PolicyInputs(
            scored,
            scored ? score.longValue() : 0,
            scored ? a.getDouble("pd", 1.0) : 1.0,
            scored ? a.getString("grade", "") : "",
            scored ? a.getString("risk_level", "") : "",
            row.getDouble(6),
            row.getInteger(7),
            company.getString("country", ""),
            profile.getString("sector", ""),
            profile.getString("region", ""),
            profile.getString("legal_form", ""),
            PolicyInputs.ageYears(createdOn == null ? null : LocalDate.parse(createdOn), at),
            monthlySales * 12,
            a.getDouble("equity", 0.0),
            proceeding != null,
            proceeding == null ? "" : proceeding,
            profile.getBoolean("ceased", false),
            events.getLong("recent_payment_incidents", 0L),
            events.getDouble("recent_incident_amount", 0.0),
            exposure == null ? 0 : exposure,
            scale.getString("recommendation", Recommendation.MANUAL_REVIEW.wire()),
            scale.getDouble("max_amount", 0.0),
            scale.getLong("max_payment_term", 0L));
    return new Decided(
        row.getUUID(0),
        at,
        company,
        row.getString(8),
        row.getString(9),
        Recommendation.fromWire(row.getString(4)),
        row.getLong(5),
        in,
        cap,
        Collections.unmodifiableSet(unrecorded));
  }

  /**
   * A row written before V8, from its record: the {@code policy_inputs} it holds, else what it says
   * (score, risk level, request, events). The cap in force was never recorded in it.
   */
  private static Decided fromRecord(Row row) {
    JsonObject record = new JsonObject(row.getString(2));
    JsonObject recorded = record.getJsonObject("policy_inputs");
    Set<String> unrecorded = new TreeSet<>(PolicyInputs.DECLARATIONS.keySet());
    unrecorded.removeAll(recorded == null ? IN_RECORDS : recorded.fieldNames());
    unrecorded.add(AMOUNT_CAP);
    return new Decided(
        row.getUUID(0),
        row.getOffsetDateTime(1).toInstant(),
        record.getJsonObject("company"),
        record.getString("policy_version"),
        record.getString("policy_rule"),
        Recommendation.fromWire(record.getString("recommendation")),
        record.getLong("max_amount", 0L),
        PolicyInputs.fromRecord(record),
        null,
        Collections.unmodifiableSet(unrecorded));
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
