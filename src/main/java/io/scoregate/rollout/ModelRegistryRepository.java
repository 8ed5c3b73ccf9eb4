package io.scoregate.rollout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model registry in Postgres: artifacts, their status, the append-only log of every change, and
 * the shadow scores. A change of status runs in one transaction that locks the rows it moves, so
 * two admins promoting at once leave one champion.
 */
public final class ModelRegistryRepository {

  /** One line of the change log. */
  public record Change(
      long id,
      Instant changedAt,
      String version,
      String fromStatus,
      String toStatus,
      String actor,
      String reason) {

    public JsonObject json() {
      return new JsonObject()
          .put("id", id)
          .put("changed_at", changedAt.toString())
          .put("version", version)
          .put("from_status", fromStatus)
          .put("to_status", toStatus)
          .put("actor", actor)
          .put("reason", reason);
    }
  }

  /** The versions to serve: the champion's and the shadow's (null when none). */
  public record Assignment(String champion, String shadow) {}

  private static final String COLUMNS =
      "version, status, sha256, metrics, registered_at, status_changed_at";

  private final Pool pool;

  public ModelRegistryRepository(Pool pool) {
    this.pool = pool;
  }

  /** Registers an artifact as a candidate; false when that version is already registered. */
  public Future<Boolean> register(
      String version,
      String sha256,
      String artifact,
      JsonObject metrics,
      JsonObject report,
      Instant now,
      String actor) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "INSERT INTO models (version, status, sha256, artifact, metrics, report,"
                        + " registered_at, status_changed_at)"
                        + " VALUES ($1, 'candidate', $2, $3, $4, $5, $6, $6)"
                        + " ON CONFLICT (version) DO NOTHING")
                .execute(Tuple.of(version, sha256, artifact, metrics, report, at(now)))
                .compose(
                    rows ->
                        rows.rowCount() == 0
                            ? Future.succeededFuture(false)
                            : log(
                                    conn,
                                    now,
                                    version,
                                    null,
                                    ModelStatus.CANDIDATE,
                                    actor,
                                    "registered")
                                .map(true)));
  }

  public Future<List<RegisteredModel>> list() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM models ORDER BY registered_at, version")
        .execute()
        .map(
            rows -> {
              List<RegisteredModel> out = new ArrayList<>();
              rows.forEach(r -> out.add(model(r)));
              return out;
            });
  }

  public Future<Assignment> assignment() {
    return pool.query("SELECT version, status FROM models WHERE status IN ('champion', 'shadow')")
        .execute()
        .map(
            rows -> {
              String champion = null;
              String shadow = null;
              for (Row r : rows) {
                if ("champion".equals(r.getString(1))) {
                  champion = r.getString(0);
                } else {
                  shadow = r.getString(0);
                }
              }
              return new Assignment(champion, shadow);
            });
  }

  /** The artifact's JSON text, or null for an unknown version. */
  public Future<String> artifact(String version) {
    return pool.preparedQuery("SELECT artifact FROM models WHERE version = $1")
        .execute(Tuple.of(version))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** The validation report registered with the model, or null. */
  public Future<JsonObject> report(String version) {
    return pool.preparedQuery("SELECT report FROM models WHERE version = $1")
        .execute(Tuple.of(version))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw RolloutProblems.unknownModel(version);
              }
              Object report = rows.iterator().next().getValue(0);
              return report instanceof JsonObject json ? json : null;
            });
  }

  /**
   * Moves {@code version} to {@code target}, and what must move with it: the champion it replaces
   * is retired, the shadow it replaces goes back to candidate. Every move is logged.
   */
  public Future<Void> change(
      String version, ModelStatus target, Instant now, String actor, String reason) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "SELECT version, status FROM models"
                        + " WHERE version = $1 OR status IN ('champion', 'shadow')"
                        + " ORDER BY version FOR UPDATE")
                .execute(Tuple.of(version))
                .compose(
                    rows -> {
                      Map<String, ModelStatus> current = new HashMap<>();
                      rows.forEach(
                          r -> current.put(r.getString(0), ModelStatus.of(r.getString(1))));
                      ModelStatus from = current.get(version);
                      if (from == null) {
                        return Future.failedFuture(RolloutProblems.unknownModel(version));
                      }
                      if (from == target) {
                        return Future.succeededFuture();
                      }
                      if (from == ModelStatus.CHAMPION) {
                        return Future.failedFuture(
                            RolloutProblems.conflict(
                                version
                                    + " is the champion: promote another model (or roll back)"
                                    + " to replace it."));
                      }
                      Future<Void> displaced = Future.succeededFuture();
                      for (Map.Entry<String, ModelStatus> e : current.entrySet()) {
                        boolean replaced =
                            !e.getKey().equals(version)
                                && e.getValue() == target
                                && (target == ModelStatus.CHAMPION || target == ModelStatus.SHADOW);
                        if (replaced) {
                          ModelStatus next =
                              target == ModelStatus.CHAMPION
                                  ? ModelStatus.RETIRED
                                  : ModelStatus.CANDIDATE;
                          displaced =
                              displaced.compose(
                                  v ->
                                      move(
                                          conn,
                                          e.getKey(),
                                          e.getValue(),
                                          next,
                                          now,
                                          actor,
                                          reason));
                        }
                      }
                      return displaced.compose(
                          v -> move(conn, version, from, target, now, actor, reason));
                    }));
  }

  /** The champion before the current one, from the change log, or null. */
  public Future<String> previousChampion() {
    return pool.query(
            "SELECT version FROM model_changes"
                + " WHERE from_status = 'champion' AND to_status = 'retired'"
                + " ORDER BY id DESC LIMIT 1")
        .execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  public Future<List<Change>> changes(int limit) {
    return pool.preparedQuery(
            "SELECT id, changed_at, version, from_status, to_status, actor, reason"
                + " FROM model_changes ORDER BY id DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Change> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Change(
                        r.getLong(0),
                        r.getOffsetDateTime(1).toInstant(),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6)));
              }
              return out;
            });
  }

  /**
   * The comparison of a shadow model with the champions it ran beside: how many companies, mean
   * PDs, the correlation of their log-odds, and the migration between grades. {@code gradeBounds}
   * are the upper PD bounds of the grades but the last.
   */
  public Future<JsonObject> shadowComparison(String candidate, double[] gradeBounds) {
    Double[] bounds = Arrays.stream(gradeBounds).boxed().toArray(Double[]::new);
    String sql =
        "WITH s AS (SELECT champion_version, champion_pd, candidate_pd,"
            + "   width_bucket(champion_pd, $2::float8[]) + 1 AS champion_grade,"
            + "   width_bucket(candidate_pd, $2::float8[]) + 1 AS candidate_grade"
            + "   FROM shadow_scores WHERE candidate_version = $1)"
            + " SELECT champion_version, champion_grade, candidate_grade, count(*),"
            + "   sum(champion_pd), sum(candidate_pd),"
            + "   sum(ln(greatest(champion_pd, 1e-9) / greatest(1 - champion_pd, 1e-9))),"
            + "   sum(ln(greatest(candidate_pd, 1e-9) / greatest(1 - candidate_pd, 1e-9)))"
            + " FROM s GROUP BY champion_version, champion_grade, candidate_grade"
            + " ORDER BY champion_version, champion_grade, candidate_grade";
    String correlation =
        "SELECT corr(ln(greatest(champion_pd, 1e-9) / greatest(1 - champion_pd, 1e-9)),"
            + " ln(greatest(candidate_pd, 1e-9) / greatest(1 - candidate_pd, 1e-9))),"
            + " min(scored_at), max(scored_at)"
            + " FROM shadow_scores WHERE candidate_version = $1";
    Future<io.vertx.sqlclient.RowSet<Row>> cells =
        pool.preparedQuery(sql)
            .execute(Tuple.tuple().addString(candidate).addArrayOfDouble(bounds));
    Future<io.vertx.sqlclient.RowSet<Row>> corr =
        pool.preparedQuery(correlation).execute(Tuple.of(candidate));
    return Future.all(cells, corr)
        .map(
            ignored -> {
              long n = 0;
              long same = 0;
              long withinOne = 0;
              long up = 0;
              long down = 0;
              double champSum = 0;
              double candSum = 0;
              JsonArray migration = new JsonArray();
              JsonArray champions = new JsonArray();
              for (Row r : cells.result()) {
                String champion = r.getString(0);
                if (!champions.contains(champion)) {
                  champions.add(champion);
                }
                int from = r.getInteger(1);
                int to = r.getInteger(2);
                long count = r.getLong(3);
                n += count;
                champSum += r.getDouble(4);
                candSum += r.getDouble(5);
                if (from == to) {
                  same += count;
                }
                if (Math.abs(from - to) <= 1) {
                  withinOne += count;
                }
                if (to < from) {
                  up += count;
                } else if (to > from) {
                  down += count;
                }
                migration.add(
                    new JsonObject()
                        .put("champion_version", champion)
                        .put("champion_grade", "G" + from)
                        .put("candidate_grade", "G" + to)
                        .put("companies", count));
              }
              Row c = corr.result().iterator().next();
              Object first = c.getValue(1);
              return new JsonObject()
                  .put("candidate_version", candidate)
                  .put("champion_versions", champions)
                  .put("evaluations", n)
                  .put("from", first == null ? null : c.getOffsetDateTime(1).toInstant().toString())
                  .put("to", first == null ? null : c.getOffsetDateTime(2).toInstant().toString())
                  .put("mean_pd_champion", n == 0 ? null : champSum / n)
                  .put("mean_pd_candidate", n == 0 ? null : candSum / n)
                  .put("log_odds_correlation", c.getDouble(0))
                  .put("same_grade_share", n == 0 ? null : (double) same / n)
                  .put("within_one_grade_share", n == 0 ? null : (double) withinOne / n)
                  .put("better_grade_with_candidate", up)
                  .put("worse_grade_with_candidate", down)
                  .put("grade_migration", migration);
            });
  }

  private static Future<Void> move(
      SqlConnection conn,
      String version,
      ModelStatus from,
      ModelStatus to,
      Instant now,
      String actor,
      String reason) {
    return conn.preparedQuery(
            "UPDATE models SET status = $2, status_changed_at = $3 WHERE version = $1")
        .execute(Tuple.of(version, to.wire(), at(now)))
        .compose(rows -> log(conn, now, version, from, to, actor, reason));
  }

  private static Future<Void> log(
      SqlConnection conn,
      Instant now,
      String version,
      ModelStatus from,
      ModelStatus to,
      String actor,
      String reason) {
    return conn.preparedQuery(
            "INSERT INTO model_changes (changed_at, version, from_status, to_status, actor, reason)"
                + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(at(now), version, from == null ? null : from.wire(), to.wire(), actor, reason))
        .mapEmpty();
  }

  private static RegisteredModel model(Row r) {
    Object metrics = r.getValue(3);
    return new RegisteredModel(
        r.getString(0),
        ModelStatus.of(r.getString(1)),
        r.getString(2),
        metrics instanceof JsonObject json ? json : new JsonObject(),
        r.getOffsetDateTime(4).toInstant(),
        r.getOffsetDateTime(5).toInstant());
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
