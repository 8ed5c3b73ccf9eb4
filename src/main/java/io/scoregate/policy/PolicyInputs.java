package io.scoregate.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelVariableResolver;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed variables a rule may read, and their values for one decision. This record is the data
 * dictionary of the rules (docs/policy.md repeats it): every name here is declared to the CEL
 * compiler with its type, and nothing else is, so a rule that reads anything else does not compile.
 * Missing facts have a stated neutral value (0, "" or -1) rather than null, so that every rule can
 * be type-checked and evaluated without null checks.
 *
 * @param scored false when the company could not be scored (no statements on file)
 * @param score 0-100, higher is safer; 0 when not scored
 * @param pd 12-month probability of default; 1.0 when not scored
 * @param grade master scale grade G1 (best) to G10; "" when not scored
 * @param riskLevel low, medium, high, very_high; "" when not scored
 * @param amount the amount asked, EUR
 * @param paymentTerm the payment term asked, days
 * @param country ISO 3166 alpha-2
 * @param sector NAF / NACE code, e.g. 25.62A; "" when unknown
 * @param region region code; "" when unknown
 * @param legalForm legal form, e.g. SAS; "" when unknown
 * @param ageYears whole years since creation; -1 when the creation date is unknown
 * @param sales yearly sales of the latest statements, EUR; 0 when none
 * @param equity equity of the latest statements, EUR; 0 when none
 * @param openProceeding an insolvency proceeding is open
 * @param proceedingKind sauvegarde, redressement_judiciaire, liquidation_judiciaire; "" when none
 * @param ceased the company has ceased trading
 * @param incidents12m payment incidents in the look-back window (12 months by default)
 * @param incidentAmount12m their total amount, EUR
 * @param exposure the tenant's current exposure to the company over its portfolios; 0 otherwise
 * @param defaultRecommendation what the master scale alone recommends
 * @param defaultMaxAmount the master scale's credit limit, EUR
 * @param defaultMaxPaymentTerm the master scale's maximum payment term, days
 */
public record PolicyInputs(
    boolean scored,
    long score,
    double pd,
    String grade,
    String riskLevel,
    double amount,
    long paymentTerm,
    String country,
    String sector,
    String region,
    String legalForm,
    long ageYears,
    double sales,
    double equity,
    boolean openProceeding,
    String proceedingKind,
    boolean ceased,
    long incidents12m,
    double incidentAmount12m,
    double exposure,
    String defaultRecommendation,
    double defaultMaxAmount,
    long defaultMaxPaymentTerm)
    implements CelVariableResolver {

  /** The variables as declared to CEL, in the order of the data dictionary. */
  public static final Map<String, CelType> DECLARATIONS = declarations();

  /** The variable read from the tenants' portfolios, looked up only for policies that use it. */
  public static final String EXPOSURE = "exposure";

  private static Map<String, CelType> declarations() {
    Map<String, CelType> d = new LinkedHashMap<>();
    d.put("scored", SimpleType.BOOL);
    d.put("score", SimpleType.INT);
    d.put("pd", SimpleType.DOUBLE);
    d.put("grade", SimpleType.STRING);
    d.put("risk_level", SimpleType.STRING);
    d.put("amount", SimpleType.DOUBLE);
    d.put("payment_term", SimpleType.INT);
    d.put("country", SimpleType.STRING);
    d.put("sector", SimpleType.STRING);
    d.put("region", SimpleType.STRING);
    d.put("legal_form", SimpleType.STRING);
    d.put("age_years", SimpleType.INT);
    d.put("sales", SimpleType.DOUBLE);
    d.put("equity", SimpleType.DOUBLE);
    d.put("open_proceeding", SimpleType.BOOL);
    d.put("proceeding_kind", SimpleType.STRING);
    d.put("ceased", SimpleType.BOOL);
    d.put("incidents_12m", SimpleType.INT);
    d.put("incident_amount_12m", SimpleType.DOUBLE);
    d.put(EXPOSURE, SimpleType.DOUBLE);
    d.put("default_recommendation", SimpleType.STRING);
    d.put("default_max_amount", SimpleType.DOUBLE);
    d.put("default_max_payment_term", SimpleType.INT);
    return java.util.Collections.unmodifiableMap(d);
  }

  /** CEL reads a variable by name; a switch, so no map is built per decision. */
  @Override
  public Optional<Object> find(String name) {
    Object value =
        switch (name) {
          case "scored" -> scored;
          case "score" -> score;
          case "pd" -> pd;
          case "grade" -> grade;
          case "risk_level" -> riskLevel;
          case "amount" -> amount;
          case "payment_term" -> paymentTerm;
          case "country" -> country;
          case "sector" -> sector;
          case "region" -> region;
          case "legal_form" -> legalForm;
          case "age_years" -> ageYears;
          case "sales" -> sales;
          case "equity" -> equity;
          case "open_proceeding" -> openProceeding;
          case "proceeding_kind" -> proceedingKind;
          case "ceased" -> ceased;
          case "incidents_12m" -> incidents12m;
          case "incident_amount_12m" -> incidentAmount12m;
          case EXPOSURE -> exposure;
          case "default_recommendation" -> defaultRecommendation;
          case "default_max_amount" -> defaultMaxAmount;
          case "default_max_payment_term" -> defaultMaxPaymentTerm;
          default -> null;
        };
    return Optional.ofNullable(value);
  }

  /**
   * Whole years from {@code createdOn} to the UTC day of {@code at}; -1 when the date is unknown or
   * after that day. Decisions and their replays count it alike.
   */
  public static long ageYears(LocalDate createdOn, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    return createdOn == null || createdOn.isAfter(day)
        ? -1
        : Period.between(createdOn, day).getYears();
  }

  public boolean inLiquidation() {
    return "liquidation_judiciaire".equals(proceedingKind);
  }

  public PolicyInputs withExposure(double value) {
    return new PolicyInputs(
        scored,
        score,
        pd,
        grade,
        riskLevel,
        amount,
        paymentTerm,
        country,
        sector,
        region,
        legalForm,
        ageYears,
        sales,
        equity,
        openProceeding,
        proceedingKind,
        ceased,
        incidents12m,
        incidentAmount12m,
        value,
        defaultRecommendation,
        defaultMaxAmount,
        defaultMaxPaymentTerm);
  }

  /** Writes the values as JSON members by variable name, without building an object. */
  public void write(JsonGenerator g) throws IOException {
    g.writeBooleanField("scored", scored);
    g.writeNumberField("score", score);
    g.writeNumberField("pd", pd);
    g.writeStringField("grade", grade);
    g.writeStringField("risk_level", riskLevel);
    g.writeNumberField("amount", amount);
    g.writeNumberField("payment_term", paymentTerm);
    g.writeStringField("country", country);
    g.writeStringField("sector", sector);
    g.writeStringField("region", region);
    g.writeStringField("legal_form", legalForm);
    g.writeNumberField("age_years", ageYears);
    g.writeNumberField("sales", sales);
    g.writeNumberField("equity", equity);
    g.writeBooleanField("open_proceeding", openProceeding);
    g.writeStringField("proceeding_kind", proceedingKind);
    g.writeBooleanField("ceased", ceased);
    g.writeNumberField("incidents_12m", incidents12m);
    g.writeNumberField("incident_amount_12m", incidentAmount12m);
    g.writeNumberField(EXPOSURE, exposure);
    g.writeStringField("default_recommendation", defaultRecommendation);
    g.writeNumberField("default_max_amount", defaultMaxAmount);
    g.writeNumberField("default_max_payment_term", defaultMaxPaymentTerm);
  }

  /** The values by variable name, as the journal records them and simulation reads them back. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (String name : DECLARATIONS.keySet()) {
      json.put(name, find(name).orElse(null));
    }
    return json;
  }

  /**
   * Inputs as recorded in a journal record. Missing names (a record written before a variable
   * existed) take their neutral value.
   */
  public static PolicyInputs fromJson(JsonObject json) {
    return new PolicyInputs(
        json.getBoolean("scored", true),
        json.getLong("score", 0L),
        json.getDouble("pd", 1.0),
        json.getString("grade", ""),
        json.getString("risk_level", ""),
        json.getDouble("amount", 0.0),
        json.getLong("payment_term", 0L),
        json.getString("country", ""),
        json.getString("sector", ""),
        json.getString("region", ""),
        json.getString("legal_form", ""),
        json.getLong("age_years", -1L),
        json.getDouble("sales", 0.0),
        json.getDouble("equity", 0.0),
        json.getBoolean("open_proceeding", false),
        json.getString("proceeding_kind", ""),
        json.getBoolean("ceased", false),
        json.getLong("incidents_12m", 0L),
        json.getDouble("incident_amount_12m", 0.0),
        json.getDouble(EXPOSURE, 0.0),
        json.getString("default_recommendation", Recommendation.MANUAL_REVIEW.wire()),
        json.getDouble("default_max_amount", 0.0),
        json.getLong("default_max_payment_term", 0L));
  }

  /**
   * The inputs of a journaled decision: those it recorded ({@code policy_inputs}), else, for a
   * record written before policies recorded them, what the record says (score, risk level, request,
   * events), the rest neutral.
   */
  public static PolicyInputs fromRecord(JsonObject record) {
    JsonObject recorded = record.getJsonObject("policy_inputs");
    if (recorded != null) {
      return fromJson(recorded);
    }
    JsonObject json = new JsonObject();
    Number score = record.getNumber("score");
    json.put("scored", score != null);
    if (score != null) {
      json.put("score", score.longValue())
          .put("pd", record.getDouble("pd"))
          .put("risk_level", record.getString("risk_level"));
    }
    JsonObject requested = record.getJsonObject("requested", new JsonObject());
    json.put("amount", requested.getDouble("amount", 0.0))
        .put("payment_term", requested.getLong("payment_term", 0L));
    JsonObject company = record.getJsonObject("company", new JsonObject());
    json.put("country", company.getString("country", ""));
    JsonObject events = record.getJsonObject("events", new JsonObject());
    String proceeding = events.getString("open_proceeding");
    json.put("open_proceeding", proceeding != null)
        .put("proceeding_kind", proceeding == null ? "" : proceeding)
        .put("incidents_12m", events.getLong("recent_payment_incidents", 0L))
        .put("incident_amount_12m", events.getDouble("recent_incident_amount", 0.0));
    return fromJson(json);
  }

  /** The names of the variables, for messages. */
  public static List<String> names() {
    return List.copyOf(DECLARATIONS.keySet());
  }
}
