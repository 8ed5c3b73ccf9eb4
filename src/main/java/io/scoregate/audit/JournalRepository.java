package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;
import java.util.UUID;

/** Reads decisions back from the journal. */
public final class JournalRepository {

  private static final String BY_ID_SQL =
      """
      SELECT record, writer_id, seq, hash, created_at FROM decision_journal
      WHERE decision_id = $1 AND tenant_id = $2
      """;

  private final SqlClient client;

  public JournalRepository(SqlClient client) {
    this.client = client;
  }

  /** The journaled record with where it sits in its chain, or null when the tenant has none. */
  public Future<JsonObject> find(UUID decisionId, String tenantId) {
    return client
        .preparedQuery(BY_ID_SQL)
        .execute(Tuple.of(decisionId, tenantId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new JsonObject(row.getString(0))
                  .put(
                      "journal",
                      new JsonObject()
                          .put("writer_id", row.getString(1))
                          .put("seq", row.getLong(2))
                          .put("hash", HexFormat.of().formatHex(row.getBuffer(3).getBytes()))
                          .put("recorded_at", row.getOffsetDateTime(4).toInstant().toString()));
            });
  }
}
