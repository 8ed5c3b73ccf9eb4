package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Reads decisions back from the journal, joined with the assessment they reference. A row written
 * before V8 is read from its own record, as it was.
 */
public final class JournalRepository {

  private static final String BY_ID_SQL =
      """
      SELECT j.record, j.writer_id, j.seq, j.hash, j.created_at, j.request_id, j.country,
             j.national_id, j.model_version, j.policy_version, j.assessment_hash, j.scored_at,
             j.amount, j.payment_term, j.recommendation, j.max_amount, j.max_payment_term,
             j.policy_reasons, a.body, j.policy_rule, j.exposure, j.amount_cap
      FROM decision_journal j LEFT JOIN assessments a ON a.hash = j.assessment_hash
      WHERE j.decision_id = $1 AND j.tenant_id = $2
      """;

  private final SqlClient client;
  private final DecisionRenderer renderer;

  public JournalRepository(SqlClient client, DecisionRenderer renderer) {
    this.client = client;
    this.renderer = renderer;
  }

  /**
   * The decision as answered, with the data used and where it sits in its chain; null when the
   * tenant has none. Fails with {@link JournalUnavailableException} when its assessment is missing
   * (a journal that {@code journal verify} would report).
   */
  public Future<JsonObject> find(UUID decisionId, String tenantId) {
    return client
        .preparedQuery(BY_ID_SQL)
        .execute(Tuple.of(decisionId, tenantId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(null);
              }
              Row row = rows.iterator().next();
              String record = row.getString(0);
              Future<JsonObject> document;
              if (record != null) {
                document = Future.succeededFuture(new JsonObject(record));
              } else if (row.getString(18) == null) {
                return Future.failedFuture(
                    new JournalUnavailableException(
                        "The assessment of decision " + decisionId + " is missing.",
                        new IllegalStateException("run journal verify")));
              } else {
                document =
                    renderer.render(
                        entry(decisionId, tenantId, row), new JsonObject(row.getString(18)));
              }
              JsonObject journal =
                  new JsonObject()
                      .put("writer_id", row.getString(1))
                      .put("seq", row.getLong(2))
                      .put("hash", HexFormat.of().formatHex(row.getBuffer(3).getBytes()))
                      .put("recorded_at", row.getOffsetDateTime(4).toInstant().toString());
              return document.map(d -> d.put("journal", journal));
            });
  }

  private static JournalEntry entry(UUID decisionId, String tenantId, Row row) {
    String[] reasons = row.getArrayOfStrings(17);
    return new JournalEntry(
        decisionId,
        row.getOffsetDateTime(4).toInstant(),
        tenantId,
        row.getString(5),
        row.getString(6),
        row.getString(7),
        row.getString(8),
        row.getString(9),
        row.getBuffer(10).getBytes(),
        row.getOffsetDateTime(11).toInstant(),
        row.getDouble(12),
        row.getInteger(13),
        row.getString(14),
        row.getLong(15),
        row.getInteger(16),
        reasons == null ? List.of() : List.of(reasons),
        row.getString(19),
        row.getDouble(20),
        row.getDouble(21));
  }
}
