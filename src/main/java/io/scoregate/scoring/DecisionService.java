package io.scoregate.scoring;

import io.scoregate.audit.DecisionIds;
import io.scoregate.audit.JournalEntry;
import io.scoregate.audit.JournalWriter;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyRepository;
import io.scoregate.company.EventSummary;
import io.scoregate.company.Ratios;
import io.scoregate.company.UnknownCompanyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The real-time decision: the company's current assessment, the tenant's policy for the amount and
 * term asked, and a journal record that is durable before the answer is returned.
 */
public final class DecisionService {

  private final AssessmentService assessments;
  private final CompanyRepository companies;
  private final DecisionPolicy policy;
  private final JournalWriter journal;
  private final DecisionIds ids;
  private final Clock clock;

  public DecisionService(
      AssessmentService assessments,
      CompanyRepository companies,
      DecisionPolicy policy,
      JournalWriter journal,
      Clock clock) {
    this.assessments = assessments;
    this.companies = companies;
    this.policy = policy;
    this.journal = journal;
    this.ids = new DecisionIds(clock);
    this.clock = clock;
  }

  /** The answer body for the caller; fails with UnknownCompanyException or a 503 cause. */
  public Future<JsonObject> decide(ScoringRequest request, String tenantId, String requestId) {
    return resolve(request)
        .compose(assessments::assess)
        .compose(
            assessment -> {
              DecisionPolicy.Outcome outcome =
                  policy.decide(assessment, request.amount(), request.paymentTerm());
              UUID decisionId = ids.next();
              Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
              JsonObject answer = answer(decisionId, now, request, assessment, outcome);
              JsonObject record =
                  answer
                      .copy()
                      .put("tenant_id", tenantId)
                      .put("request_id", requestId)
                      .put("features", features(assessment.features()))
                      .put("events", events(assessment.events()));
              JournalEntry entry =
                  new JournalEntry(
                      decisionId,
                      now,
                      tenantId,
                      requestId,
                      assessment.key().country(),
                      assessment.key().nationalId(),
                      assessment.modelVersion(),
                      policy.version(),
                      record.encode());
              return journal.append(entry).map(receipt -> answer);
            });
  }

  /** The company's current score and reasons, without a decision. */
  public Future<JsonObject> score(CompanyKey key) {
    return assessments
        .assess(key)
        .map(
            a ->
                new JsonObject()
                    .put("company", company(a))
                    .put("score", a.score())
                    .put("risk_level", a.riskLevel())
                    .put("pd", a.pd())
                    .put("reasons", reasons(a.reasons(), List.of()))
                    .put("model_version", a.modelVersion())
                    .put("data_as_of", a.dataAsOf() == null ? null : a.dataAsOf().toString())
                    .put("evaluated_at", a.evaluatedAt().toString()));
  }

  private Future<CompanyKey> resolve(ScoringRequest request) {
    if (request.key() != null) {
      return Future.succeededFuture(request.key());
    }
    return companies
        .keyByLei(request.lei())
        .compose(
            key ->
                key != null
                    ? Future.succeededFuture(key)
                    : Future.failedFuture(
                        new UnknownCompanyException(new CompanyKey("LEI", request.lei()))));
  }

  private JsonObject answer(
      UUID decisionId,
      Instant now,
      ScoringRequest request,
      Assessment a,
      DecisionPolicy.Outcome outcome) {
    return new JsonObject()
        .put("decision_id", decisionId.toString())
        .put("company", company(a))
        .put("score", a.score())
        .put("risk_level", a.riskLevel())
        .put("pd", a.pd())
        .put("recommendation", outcome.recommendation().wire())
        .put("max_amount", outcome.maxAmount())
        .put("max_payment_term", outcome.maxPaymentTerm())
        .put("currency", "EUR")
        .put(
            "requested",
            new JsonObject()
                .put("amount", request.amount())
                .put("payment_term", request.paymentTerm()))
        .put("reasons", reasons(a.reasons(), outcome.reasons()))
        .put("model_version", a.modelVersion())
        .put("policy_version", policy.version())
        .put("data_as_of", a.dataAsOf() == null ? null : a.dataAsOf().toString())
        .put("scored_at", a.evaluatedAt().toString())
        .put("evaluated_at", now.toString());
  }

  private static JsonObject company(Assessment a) {
    return new JsonObject()
        .put("country", a.key().country())
        .put("id", a.key().nationalId())
        .put("name", a.companyName());
  }

  /** Rule reasons first (overrides, incidents), then the policy's limits, then the model's. */
  private static JsonArray reasons(
      List<ScoreReason> scoreReasons, List<ScoreReason> policyReasons) {
    JsonArray out = new JsonArray();
    for (ScoreReason r : scoreReasons) {
      if (r.isRule()) {
        out.add(reason(r));
      }
    }
    for (ScoreReason r : policyReasons) {
      out.add(reason(r));
    }
    for (ScoreReason r : scoreReasons) {
      if (!r.isRule()) {
        out.add(reason(r));
      }
    }
    return out;
  }

  private static JsonObject reason(ScoreReason r) {
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
}
