package io.scoregate.scoring;

import io.scoregate.audit.DecisionIds;
import io.scoregate.audit.JournalEntry;
import io.scoregate.audit.JournalWriter;
import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyRepository;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.policy.PolicyDecision;
import io.scoregate.policy.PolicyInputs;
import io.scoregate.policy.PolicyRule;
import io.scoregate.policy.PolicyService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real-time decision: the company's current assessment, the tenant's active policy (its own
 * rules, else the platform default; the master scale's own outcome is one of its inputs) for the
 * amount and term asked, and a journal row that is durable before the answer is returned. The row
 * references the assessment (recorded once, when it was made) and holds only the decision's own
 * values.
 */
public final class DecisionService {

  private final AssessmentService assessments;
  private final CompanyRepository companies;
  private final DecisionInputs inputs;
  private final PolicyService policies;
  private final JournalWriter journal;
  private final long requestTimeoutMs;
  private final DecisionIds ids;
  private final Clock clock;

  public DecisionService(
      AssessmentService assessments,
      CompanyRepository companies,
      DecisionInputs inputs,
      PolicyService policies,
      JournalWriter journal,
      long requestTimeoutMs,
      Clock clock) {
    this.assessments = assessments;
    this.requestTimeoutMs = requestTimeoutMs;
    this.companies = companies;
    this.inputs = inputs;
    this.policies = policies;
    this.journal = journal;
    this.ids = new DecisionIds(clock);
    this.clock = clock;
  }

  /**
   * The answer body for the caller (JSON), once its journal record is committed; fails with
   * UnknownCompanyException or a 503 cause. Without a request timeout (batch lines) the journal
   * waits as long as it takes.
   */
  public Future<Buffer> decide(ScoringRequest request, String tenantId, String requestId) {
    return decide(request, tenantId, requestId, System.nanoTime());
  }

  /**
   * As {@link #decide(ScoringRequest, String, String)} for a request that arrived at {@code
   * arrivedAt} ({@link System#nanoTime()}): once its timeout has run from then, its decision is not
   * journaled any more and fails with a 503 cause, since its answer has gone.
   */
  public Future<Buffer> decide(
      ScoringRequest request, String tenantId, String requestId, long arrivedAt) {
    long deadline =
        requestTimeoutMs > 0
            ? arrivedAt + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs)
            : JournalWriter.NO_DEADLINE;
    return resolve(request)
        .compose(key -> assessments.assessEncoded(key, deadline))
        .compose(
            encoded -> {
              // One time for the decision: its inputs (the company's age) are those of the time
              // it is journaled at, so a replay counts them alike.
              Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
              PolicyInputs in = inputs.of(encoded, request.amount(), request.paymentTerm(), now);
              return policies
                  .decide(tenantId, encoded.assessment().profile().companyId(), in)
                  .compose(
                      decision ->
                          record(request, tenantId, requestId, encoded, decision, now, deadline));
            });
  }

  private Future<Buffer> record(
      ScoringRequest request,
      String tenantId,
      String requestId,
      EncodedAssessment encoded,
      PolicyDecision decision,
      Instant now,
      long deadline) {
    Assessment assessment = encoded.assessment();
    DecisionPolicy.Outcome outcome = outcome(decision);
    UUID decisionId = ids.next();
    DecisionJson json =
        DecisionJson.write(
            decisionId, now, request, encoded, outcome, decision.version(), decision.ruleId());
    JournalEntry entry =
        new JournalEntry(
            decisionId,
            now,
            tenantId,
            requestId,
            assessment.key().country(),
            assessment.key().nationalId(),
            assessment.modelVersion(),
            decision.version(),
            encoded.record().hash(),
            assessment.evaluatedAt(),
            request.amount(),
            request.paymentTerm(),
            outcome.recommendation().wire(),
            outcome.maxAmount(),
            outcome.maxPaymentTerm(),
            codes(outcome.reasons()),
            decision.ruleId(),
            decision.exposure(),
            decision.amountCap());
    return journal.append(entry, deadline).map(receipt -> json.answer());
  }

  private static DecisionPolicy.Outcome outcome(PolicyDecision decision) {
    List<ScoreReason> reasons = new ArrayList<>(decision.reasons().size());
    for (PolicyRule.Reason r : decision.reasons()) {
      reasons.add(ScoreReason.rule(r.code(), r.text(), r.textFr()));
    }
    return new DecisionPolicy.Outcome(
        decision.recommendation(), decision.maxAmount(), decision.maxPaymentTerm(), reasons);
  }

  /** The company's current score and reasons, without a decision. */
  public Future<JsonObject> score(CompanyKey key) {
    return assessments
        .assess(key)
        .map(
            a ->
                new JsonObject()
                    .put("company", EncodedAssessment.company(a))
                    .put("score", a.score())
                    .put("risk_level", a.riskLevel())
                    .put("pd", a.pd())
                    .put("reasons", reasons(a.reasons()))
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

  private static List<String> codes(List<ScoreReason> reasons) {
    return reasons.isEmpty() ? List.of() : reasons.stream().map(ScoreReason::code).toList();
  }

  /** Rule reasons first (overrides, incidents), then the model's. */
  private static JsonArray reasons(List<ScoreReason> scoreReasons) {
    JsonArray out = new JsonArray();
    for (ScoreReason r : scoreReasons) {
      if (r.isRule()) {
        out.add(EncodedAssessment.reason(r));
      }
    }
    for (ScoreReason r : scoreReasons) {
      if (!r.isRule()) {
        out.add(EncodedAssessment.reason(r));
      }
    }
    return out;
  }
}
