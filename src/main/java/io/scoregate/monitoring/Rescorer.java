package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.scoring.Assessment;
import io.scoregate.scoring.AssessmentService;
import io.scoregate.scoring.ScoreRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-assesses companies inside the caller's transaction (features from Postgres as the transaction
 * sees them, the model, the policy's overrides) and, when the outcome differs from the current
 * score, stores the new current score and a history row with its cause and tells the listeners, all
 * in that transaction. Every instance is told to drop its cached score by a NOTIFY that Postgres
 * delivers at commit, and only then.
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

  /** A company to re-assess, and why: the cause event is set for {@link ScoreChange#EVENT}. */
  public record Target(
      long companyId, CompanyKey key, String cause, Long causeEventId, String causeEventKind) {}

  /**
   * Re-assesses the companies (locked by the caller, one target each) in one pass: the changes
   * stored, in the targets' order; a company whose outcome stayed the same (or that cannot be
   * scored) has none. {@code cause} is one of {@link ScoreChange}'s causes; a company's first score
   * from a round says {@link ScoreChange#INITIAL}.
   */
  public Future<List<ScoreChange>> rescore(SqlConnection tx, List<Target> targets) {
    if (targets.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Long[] ids = new Long[targets.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = targets.get(i).companyId();
    }
    ScoreHistoryRepository history = new ScoreHistoryRepository(tx);
    return history
        .current(ids)
        .compose(
            before ->
                assessments
                    .evaluateAll(tx, ids)
                    .compose(
                        assessed -> {
                          Instant at = clock.instant();
                          List<ScoreChange> changes = new ArrayList<>();
                          Map<Long, Assessment> changed = new LinkedHashMap<>();
                          for (Target t : targets) {
                            Assessment assessment = assessed.get(t.companyId());
                            ScoreSnapshot after = snapshot(assessment);
                            ScoreSnapshot was = before.get(t.companyId());
                            if (after == null || after.equals(was)) {
                              continue;
                            }
                            String why =
                                was == null && !ScoreChange.EVENT.equals(t.cause())
                                    ? ScoreChange.INITIAL
                                    : t.cause();
                            changes.add(
                                new ScoreChange(
                                    t.companyId(),
                                    t.key().country(),
                                    t.key().nationalId(),
                                    was,
                                    after,
                                    why,
                                    t.causeEventId(),
                                    t.causeEventKind(),
                                    at));
                            changed.put(t.companyId(), assessment);
                          }
                          if (changes.isEmpty()) {
                            return Future.succeededFuture(List.<ScoreChange>of());
                          }
                          List<CompanyKey> keys = new ArrayList<>(changes.size());
                          changes.forEach(
                              c -> keys.add(new CompanyKey(c.country(), c.nationalId())));
                          return new ScoreRepository(tx)
                              .saveAll(changed)
                              .compose(v -> history.append(changes))
                              .compose(v -> invalidateEverywhere(tx, keys))
                              .compose(v -> tell(tx, changes, 0))
                              .map(changes);
                        }));
  }

  /** Every instance drops its cached scores of these companies when the transaction commits. */
  public Future<Void> invalidateEverywhere(SqlConnection tx, Collection<CompanyKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] payloads = new String[keys.size()];
    int i = 0;
    for (CompanyKey key : keys) {
      payloads[i++] = ScoreInvalidation.payload(key);
    }
    return tx.preparedQuery("SELECT pg_notify($1, k) FROM unnest($2::text[]) AS k")
        .execute(Tuple.from(new Object[] {channel, payloads}))
        .mapEmpty();
  }

  private Future<Void> tell(SqlConnection tx, List<ScoreChange> changes, int index) {
    if (index == listeners.size()) {
      return Future.succeededFuture();
    }
    return listeners.get(index).onChanges(tx, changes).compose(v -> tell(tx, changes, index + 1));
  }

  private static ScoreSnapshot snapshot(Assessment a) {
    if (a == null || a.insufficientData()) {
      return null;
    }
    return new ScoreSnapshot(
        a.score(), a.pd(), ScoreRepository.grade(a.pd()), a.riskLevel(), a.modelVersion());
  }
}
