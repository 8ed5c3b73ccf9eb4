package io.scoregate.scoring;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.scoregate.audit.AssessmentRecord;
import io.scoregate.company.CompanyProfile;
import io.scoregate.company.EventSummary;
import io.scoregate.company.Ratios;
import io.scoregate.model.Grades;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An assessment with the JSON of its parts already encoded. Every decision on a cached score
 * answers the same company, reasons, features and events: encoding them once per assessment, not
 * once per decision, takes most of the JSON work (and every number formatting) off the hot path.
 * The parts are encoded exactly as a {@link JsonObject} would encode them. The assessment's
 * canonical record (what the journal keeps once, and decisions reference by hash) is built from the
 * same parts, with what the tenants' policies read about the company beyond its score: its profile
 * and the master scale's own outcome, computed here once per assessment and recorded with it, so
 * that a simulation replays the inputs a decision had.
 */
final class EncodedAssessment {

  private final Assessment assessment;
  private final DecisionPolicy.Outcome masterScale;
  private final AssessmentRecord record;
  private final Answer answer;

  /**
   * The runs of a decision's answer that are the same for every decision on this assessment, as the
   * bytes {@link DecisionJson} writes between the decision's own values.
   *
   * @param head from {@code ,"company":} to {@code "recommendation":}
   * @param ruleReasons the rule reasons, comma-separated
   * @param modelReasons the model's reasons, comma-separated
   * @param modelVersion from the reasons' closing bracket to {@code "policy_version":}
   * @param tail {@code data_as_of} and {@code scored_at}, each after its comma
   */
  record Answer(
      byte[] head, byte[] ruleReasons, byte[] modelReasons, byte[] modelVersion, byte[] tail) {

    /** The bytes of all the runs. */
    int size() {
      return head.length
          + ruleReasons.length
          + modelReasons.length
          + modelVersion.length
          + tail.length;
    }
  }

  /**
   * @param masterScale what the configured master scale alone decides on this assessment, whatever
   *     the amount asked ({@link DecisionPolicy#decide} for 0 and 0)
   */
  EncodedAssessment(Assessment assessment, DecisionPolicy.Outcome masterScale) {
    this.assessment = assessment;
    this.masterScale = masterScale;
    // The parts are kept encoded only inside the record and the answer's runs: a cached entry
    // holds each once.
    SerializableString company = raw(company(assessment));
    List<SerializableString> ruleReasons = new ArrayList<>(2);
    List<SerializableString> modelReasons = new ArrayList<>(assessment.reasons().size());
    for (ScoreReason r : assessment.reasons()) {
      (r.isRule() ? ruleReasons : modelReasons).add(raw(reason(r)));
    }
    this.record =
        AssessmentRecord.of(
            assessment.key().country(),
            assessment.key().nationalId(),
            company,
            assessment.score(),
            assessment.pd(),
            assessment.pd() == null ? null : Grades.name(Grades.of(assessment.pd())),
            assessment.riskLevel(),
            assessment.modelVersion(),
            assessment.dataAsOf(),
            assessment.refuse(),
            assessment.monthlySales(),
            assessment.equity(),
            ruleReasons,
            modelReasons,
            raw(features(assessment.features())),
            raw(events(assessment.events())),
            raw(profile(assessment.profile())),
            raw(masterScale(masterScale)));
    this.answer = answer(assessment, company, ruleReasons, modelReasons);
  }

  private static Answer answer(
      Assessment a,
      SerializableString company,
      List<SerializableString> rules,
      List<SerializableString> model) {
    byte[] head =
        new JsonBytes(512)
            .raw(JsonBytes.bytes(",\"company\":"))
            .raw(company.asUnquotedUTF8())
            .raw(JsonBytes.bytes(",\"score\":"))
            .numberOrNull(a.score())
            .raw(JsonBytes.bytes(",\"risk_level\":"))
            .string(a.riskLevel())
            .raw(JsonBytes.bytes(",\"pd\":"))
            .numberOrNull(a.pd())
            .raw(JsonBytes.bytes(",\"recommendation\":"))
            .toBytes();
    byte[] modelVersion =
        new JsonBytes(64)
            .raw(JsonBytes.bytes("],\"model_version\":"))
            .string(a.modelVersion())
            .raw(JsonBytes.bytes(",\"policy_version\":"))
            .toBytes();
    byte[] tail =
        new JsonBytes(96)
            .raw(JsonBytes.bytes(",\"data_as_of\":"))
            .string(a.dataAsOf() == null ? null : a.dataAsOf().toString())
            .raw(JsonBytes.bytes(",\"scored_at\":"))
            .string(a.evaluatedAt().toString())
            .toBytes();
    return new Answer(head, joined(rules), joined(model), modelVersion, tail);
  }

  private static byte[] joined(List<SerializableString> parts) {
    JsonBytes out = new JsonBytes(1024);
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.comma();
      }
      out.raw(parts.get(i).asUnquotedUTF8());
    }
    return out.toBytes();
  }

  /** What every decision on this assessment answers alike, already encoded. */
  Answer answer() {
    return answer;
  }

  Assessment assessment() {
    return assessment;
  }

  /** The master scale's own outcome, as recorded in the assessment. */
  DecisionPolicy.Outcome masterScale() {
    return masterScale;
  }

  /** The canonical record: what is recorded once, and the hash decisions reference. */
  AssessmentRecord record() {
    return record;
  }

  static JsonObject company(Assessment a) {
    return new JsonObject()
        .put("country", a.key().country())
        .put("id", a.key().nationalId())
        .put("name", a.companyName());
  }

  static JsonObject reason(ScoreReason r) {
    JsonObject json = new JsonObject().put("code", r.code());
    if (r.feature() != null) {
      json.put("feature", r.feature());
    }
    if (r.value() != null) {
      json.put("value", r.value());
    }
    if (r.contribution() != null) {
      json.put("contribution", Math.round(r.contribution() * 10000) / 10000.0);
    }
    return json.put("text", r.text()).put("text_fr", r.textFr());
  }

  private static JsonObject features(double[] values) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < values.length; i++) {
      json.put(Ratios.NAMES.get(i), Double.isFinite(values[i]) ? values[i] : null);
    }
    return json;
  }

  private static JsonObject events(EventSummary e) {
    return new JsonObject()
        .put("open_proceeding", e.openProceedingKind())
        .put(
            "proceeding_since", e.proceedingSince() == null ? null : e.proceedingSince().toString())
        .put("recent_payment_incidents", e.recentIncidents())
        .put("recent_incident_amount", e.recentIncidentAmount())
        .put("max_days_late", e.maxDaysLate());
  }

  private static JsonObject profile(CompanyProfile p) {
    return new JsonObject()
        .put("legal_form", p.legalForm())
        .put("sector", p.sector())
        .put("region", p.region())
        .put("created_on", p.createdOn() == null ? null : p.createdOn().toString())
        .put("ceased", p.ceased());
  }

  private static JsonObject masterScale(DecisionPolicy.Outcome o) {
    return new JsonObject()
        .put("recommendation", o.recommendation().wire())
        .put("max_amount", o.maxAmount())
        .put("max_payment_term", o.maxPaymentTerm());
  }

  static SerializableString raw(JsonObject json) {
    SerializedString raw = new SerializedString(json.encode());
    raw.asUnquotedUTF8(); // encoded now, once, not by the first decisions that race for it
    return raw;
  }
}
