package io.scoregate.scoring;

import io.scoregate.company.CompanySnapshot;
import io.scoregate.company.EventSummary;
import io.scoregate.company.StatementLines;
import io.scoregate.model.ModelOutput;
import io.scoregate.model.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a company's data and the model's output make of it: the score on the master scale, and the
 * overrides for facts the model does not see (an insolvency proceeding, payment incidents, a ceased
 * company), each with its own reason. A pure function: no I/O, no clock of its own.
 */
final class AssessmentRules {

  private final PolicyConfig policy;
  private final MasterScale scale;
  private final ReasonTexts texts;

  AssessmentRules(PolicyConfig policy, ReasonTexts texts) {
    this.policy = policy;
    this.scale = new MasterScale(policy);
    this.texts = texts;
  }

  /** Whether the model has a say: statements on file, and no override that decides alone. */
  static boolean needsModel(CompanySnapshot snapshot) {
    return snapshot.hasStatements() && !snapshot.ceased() && !snapshot.events().inLiquidation();
  }

  /**
   * The assessment of {@code snapshot} at {@code now}; {@code features} and {@code output} are the
   * model's input and answer when {@link #needsModel} said so, else null.
   */
  Assessment assess(CompanySnapshot snapshot, double[] features, ModelOutput output, Instant now) {
    return output == null
        ? withoutModel(snapshot, now)
        : withModel(snapshot, features, output, now);
  }

  private Assessment withoutModel(CompanySnapshot snapshot, Instant now) {
    EventSummary events = snapshot.events();
    StatementLines latest = snapshot.hasStatements() ? snapshot.statements().get(0) : null;
    double monthlySales = latest == null ? Double.NaN : latest.sales() / 12;
    double equity = latest == null ? Double.NaN : latest.equity();
    String worst = scale.level(scale.levelCount() - 1).name();
    if (events.inLiquidation() || snapshot.ceased()) {
      ScoreReason reason = events.inLiquidation() ? proceedingReason(events) : texts.ceased();
      return new Assessment(
          snapshot.key(),
          snapshot.name(),
          0,
          1.0,
          worst,
          List.of(reason),
          new double[0],
          "override",
          snapshot.dataAsOf(),
          now,
          true,
          monthlySales,
          equity,
          events);
    }
    List<ScoreReason> reasons = new ArrayList<>(3);
    reasons.add(texts.insufficientData());
    if (events.hasOpenProceeding()) {
      reasons.add(0, proceedingReason(events));
    }
    if (events.recentIncidents() > 0) {
      reasons.add(incidentReason(events));
    }
    return new Assessment(
        snapshot.key(),
        snapshot.name(),
        null,
        null,
        null,
        List.copyOf(reasons),
        new double[0],
        "none",
        snapshot.dataAsOf(),
        now,
        events.hasOpenProceeding(),
        monthlySales,
        equity,
        events);
  }

  private Assessment withModel(
      CompanySnapshot snapshot, double[] features, ModelOutput output, Instant now) {
    EventSummary events = snapshot.events();
    double pd = output.prediction().pd();
    int score = scale.score(pd);
    int level = scale.levelIndex(score);
    List<ScoreReason> reasons = new ArrayList<>(output.reasons().size() + 2);
    boolean refuse = false;
    if (events.hasOpenProceeding()) {
      // An open proceeding is a default in all but name: worst band, refused by the policy.
      level = scale.levelCount() - 1;
      score = Math.min(score, scale.maxScoreOf(level));
      reasons.add(proceedingReason(events));
      refuse = true;
    } else if (events.recentIncidents() > 0 && policy.incidentNotches() > 0) {
      level = Math.min(scale.levelCount() - 1, level + policy.incidentNotches());
      score = Math.min(score, scale.maxScoreOf(level));
      reasons.add(incidentReason(events));
    }
    for (Reason r : output.reasons()) {
      reasons.add(
          new ScoreReason(
              r.code(), r.feature(), finite(r.value()), r.contribution(), r.textEn(), r.textFr()));
    }
    StatementLines latest = snapshot.statements().get(0);
    return new Assessment(
        snapshot.key(),
        snapshot.name(),
        score,
        pd,
        scale.level(level).name(),
        List.copyOf(reasons),
        features,
        output.modelVersion(),
        snapshot.dataAsOf(),
        now,
        refuse,
        latest.sales() / 12,
        latest.equity(),
        events);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private ScoreReason proceedingReason(EventSummary events) {
    return texts.proceeding(
        events.openProceedingKind(),
        events.proceedingSince() == null ? null : events.proceedingSince().toString());
  }

  private ScoreReason incidentReason(EventSummary events) {
    return texts.incidents(
        "PAYMENT_INCIDENTS_" + policy.incidentLookbackMonths() + "M",
        events.recentIncidents(),
        policy.incidentLookbackMonths(),
        events.maxDaysLate(),
        policy.incidentNotches());
  }
}
