package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.scoring.Assessment;
import io.scoregate.scoring.AssessmentService;
import io.scoregate.scoring.ScoreRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;

/**
 * Re-assesses one company inside the caller's transaction (features from Postgres as the
 * transaction sees them, the model, the policy's overrides) and, when the outcome differs from the
 * current score, stores the new current score and a history row with its cause and tells the
 * listeners, all in that transaction. Every instance is told to drop its cached score by a NOTIFY
 * that Postgres delivers at commit, and only then.
 */
public final class Rescorer {

  private final AssessmentService assessments;
  private final List<ScoreChangeListener> listeners;
  private final Clock clock;
  private final String channel;

  public Rescorer(
      AssessmentService assessments,
      List<ScoreChangeListener> listeners,
      Clock clock,
      String channel) {
    this.assessments = assessments;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.channel = channel;
  }

  /**
   * The stored change, or null when the score is the same (or the company cannot be scored). {@code
   * cause} is one of {@link ScoreChange}'s causes; a company's first score from a round says {@link
   * ScoreChange#INITIAL}.
   */
  public Future<ScoreChange> rescore(
      SqlConnection tx,
      long companyId,
      CompanyKey key,
      String cause,
      Long causeEventId,
      String causeEventKind) {
    ScoreHistoryRepository history = new ScoreHistoryRepository(tx);
    return history
        .current(companyId)
        .compose(
            before ->
                assessments
                    .evaluate(tx, key)
                    .compose(
                        assessment -> {
                          ScoreSnapshot after = snapshot(assessment);
                          if (after == null || after.equals(before)) {
                            return Future.succeededFuture();
                          }
                          String why =
                              before == null && !ScoreChange.EVENT.equals(cause)
                                  ? ScoreChange.INITIAL
                                  : cause;
                          ScoreChange change =
                              new ScoreChange(
                                  companyId,
                                  key.country(),
                                  key.nationalId(),
                                  before,
                                  after,
                                  why,
                                  causeEventId,
                                  causeEventKind,
                                  clock.instant());
                          return new ScoreRepository(tx)
                              .save(companyId, assessment)
                              .compose(v -> history.append(companyId, change))
                              .compose(v -> invalidateEverywhere(tx, key))
                              .compose(v -> tell(tx, change, 0))
                              .map(change);
                        }));
  }

  /** Every instance drops its cached score of the company when the transaction commits. */
  public Future<Void> invalidateEverywhere(SqlConnection tx, CompanyKey key) {
    return tx.preparedQuery("SELECT pg_notify($1, $2)")
        .execute(Tuple.of(channel, ScoreInvalidation.payload(key)))
        .mapEmpty();
  }

  private Future<Void> tell(SqlConnection tx, ScoreChange change, int index) {
    if (index == listeners.size()) {
      return Future.succeededFuture();
    }
    return listeners.get(index).onChange(tx, change).compose(v -> tell(tx, change, index + 1));
  }

  private static ScoreSnapshot snapshot(Assessment a) {
    if (a == null || a.insufficientData()) {
      return null;
    }
    return new ScoreSnapshot(
        a.score(), a.pd(), ScoreRepository.grade(a.pd()), a.riskLevel(), a.modelVersion());
  }
}
