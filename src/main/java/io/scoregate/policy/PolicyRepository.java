package io.scoregate.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Policy versions and the history of activations in Postgres. A version is written once and never
 * changed (the database refuses updates); an activation or rollback is one more history row,
 * written in a transaction that holds the tenant's advisory lock, so two admins acting at once
 * leave a history in which each row names the version it replaced.
 */
public final class PolicyRepository {

  /** One stored version. */
  public record StoredVersion(
      String version,
      String tenantId,
      JsonArray rules,
      String description,
      String createdBy,
      Instant createdAt) {}

  /** One row of the history; a null version is the platform default. */
  public record Activation(
      long id,
      String tenantId,
      String version,
      String previousVersion,
      String action,
      String actor,
      Instant at) {

    public JsonObject json() {
      return new JsonObject()
          .put("id", id)
          .put("version", version)
          .put("previous_version", previousVersion)
          .put("action", action)
          .put("actor", actor)
          .put("at", at.toString());
    }
  }

  private static final String INSERT_VERSION_SQL =
      """
      INSERT INTO policy_versions (version, tenant_id, rules, description, created_by, created_at)
      SELECT $2 || '.' || (count(*) + 1), $1, $3, $4, $5, $6
      FROM policy_versions WHERE tenant_id = $1 AND version LIKE $2 || '.%'
      RETURNING version
      """;

  private static final String VERSION_SQL =
      "SELECT version, tenant_id, rules, description, created_by, created_at FROM policy_versions"
          + " WHERE tenant_id = $1 AND version = $2";

  private static final String VERSIONS_SQL =
      "SELECT version, tenant_id, rules, description, created_by, created_at FROM policy_versions"
          + " WHERE tenant_id = $1 ORDER BY created_at DESC, version DESC";

  private static final String HISTORY_SQL =
      "SELECT id, tenant_id, version, previous_version, action, actor, activated_at"
          + " FROM policy_activations WHERE tenant_id = $1 ORDER BY id DESC";

  private static final String LATEST_SQL = HISTORY_SQL + " LIMIT 1";

  private static final String INSERT_ACTIVATION_SQL =
      """
      INSERT INTO policy_activations
          (tenant_id, version, previous_version, action, actor, activated_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING id, tenant_id, version, previous_version, action, actor, activated_at
      """;

  private static final String ACTIVE_SQL =
      """
      SELECT DISTINCT ON (a.tenant_id) a.tenant_id, a.version, v.rules
      FROM policy_activations a LEFT JOIN policy_versions v ON v.version = a.version
      ORDER BY a.tenant_id, a.id DESC
      """;

  private final Pool pool;

  public PolicyRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores a new version named {@code prefix.N}, N the next number of the tenant's versions with
   * that prefix (its day); a concurrent submission of the same day is retried with the next N.
   */
  public Future<String> insertVersion(
      String tenantId,
      String prefix,
      JsonArray rules,
      String description,
      String actor,
      Instant at) {
    return insertVersion(tenantId, prefix, rules, description, actor, at, 3);
  }

  private Future<String> insertVersion(
      String tenantId,
      String prefix,
      JsonArray rules,
      String description,
      String actor,
      Instant at,
      int attempts) {
    return pool.preparedQuery(INSERT_VERSION_SQL)
        .execute(Tuple.of(tenantId, prefix, rules, description, actor, time(at)))
        .map(rows -> rows.iterator().next().getString(0))
        .recover(
            e ->
                attempts > 1 && e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? insertVersion(tenantId, prefix, rules, description, actor, at, attempts - 1)
                    : Future.failedFuture(e));
  }

  /** The tenant's version, or null (another tenant's version is none of its own). */
  public Future<StoredVersion> version(String tenantId, String version) {
    return pool.preparedQuery(VERSION_SQL)
        .execute(Tuple.of(tenantId, version))
        .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next()));
  }

  public Future<List<StoredVersion>> versions(String tenantId) {
    return pool.preparedQuery(VERSIONS_SQL)
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              List<StoredVersion> out = new ArrayList<>(rows.size());
              rows.forEach(row -> out.add(stored(row)));
              return out;
            });
  }

  /** The tenant's activations and rollbacks, newest first. */
  public Future<List<Activation>> history(String tenantId) {
    return pool.preparedQuery(HISTORY_SQL)
        .execute(Tuple.of(tenantId))
        .map(PolicyRepository::activations);
  }

  /**
   * Makes {@code version} active (null: the platform default); {@code action} is activate or
   * rollback. A rollback without history fails with a 409 problem.
   */
  public Future<Activation> activate(
      String tenantId, String version, boolean rollback, String actor, Instant at) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('policy:' || $1))")
                .execute(Tuple.of(tenantId))
                .compose(locked -> conn.preparedQuery(LATEST_SQL).execute(Tuple.of(tenantId)))
                .compose(
                    rows -> {
                      List<Activation> latest = activations(rows);
                      String current = latest.isEmpty() ? null : latest.get(0).version();
                      if (rollback && latest.isEmpty()) {
                        return Future.failedFuture(PolicyProblems.nothingToRollBack(tenantId));
                      }
                      String target = rollback ? latest.get(0).previousVersion() : version;
                      return conn.preparedQuery(INSERT_ACTIVATION_SQL)
                          .execute(
                              Tuple.of(
                                  tenantId,
                                  target,
                                  current,
                                  rollback ? "rollback" : "activate",
                                  actor,
                                  time(at)))
                          .map(inserted -> activations(inserted).get(0));
                    }));
  }

  /** The latest history row's id: a version counter every instance polls. */
  public Future<Long> counter() {
    return pool.query("SELECT coalesce(max(id), 0) FROM policy_activations")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Each tenant's active version with its rules (null version and rules: the platform default). */
  public Future<Map<String, StoredVersion>> active() {
    return pool.query(ACTIVE_SQL)
        .execute()
        .map(
            rows -> {
              Map<String, StoredVersion> out = new HashMap<>();
              for (Row row : rows) {
                String version = row.getString(1);
                out.put(
                    row.getString(0),
                    version == null
                        ? null
                        : new StoredVersion(
                            version, row.getString(0), rules(row.getValue(2)), null, null, null));
              }
              return out;
            });
  }

  private static StoredVersion stored(Row row) {
    return new StoredVersion(
        row.getString(0),
        row.getString(1),
        rules(row.getValue(2)),
        row.getString(3),
        row.getString(4),
        row.getOffsetDateTime(5).toInstant());
  }

  private static JsonArray rules(Object raw) {
    return raw instanceof JsonArray array ? array : new JsonArray(String.valueOf(raw));
  }

  private static List<Activation> activations(RowSet<Row> rows) {
    List<Activation> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(
          new Activation(
              row.getLong(0),
              row.getString(1),
              row.getString(2),
              row.getString(3),
              row.getString(4),
              row.getString(5),
              row.getOffsetDateTime(6).toInstant()));
    }
    return out;
  }

  private static OffsetDateTime time(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
