package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies every writer's hash chain: rows numbered 1, 2, 3... without a gap, each row's prev_hash
 * equal to the hash of the row before, and each hash recomputed from the row's stored columns. Rows
 * are streamed with a cursor, so the journal can be any size.
 */
public final class JournalVerifier {

  private static final String ROWS_SQL =
      """
      SELECT decision_id, created_at, writer_id, seq, tenant_id, request_id, country, national_id,
             model_version, policy_version, record, prev_hash, hash
      FROM decision_journal ORDER BY writer_id, seq
      """;

  /** The outcome: rows checked, chains seen, and the first problems found (at most 20). */
  public record Report(long rows, int chains, List<String> problems) {
    public boolean intact() {
      return problems.isEmpty();
    }
  }

  private final Pool pool;

  public JournalVerifier(Pool pool) {
    this.pool = pool;
  }

  public Future<Report> verify() {
    return pool.withTransaction(
        conn ->
            conn.prepare(ROWS_SQL)
                .compose(
                    statement -> {
                      Promise<Report> done = Promise.promise();
                      RowStream<Row> stream = statement.createStream(1000);
                      Checker checker = new Checker();
                      stream.exceptionHandler(done::tryFail);
                      stream.endHandler(v -> done.tryComplete(checker.report()));
                      stream.handler(checker::check);
                      return done.future();
                    }));
  }

  private static final class Checker {
    private final List<String> problems = new ArrayList<>();
    private long rows;
    private int chains;
    private String writer;
    private long expectedSeq;
    private byte[] previous;

    void check(Row row) {
      rows++;
      String writerId = row.getString("writer_id");
      if (!writerId.equals(writer)) {
        writer = writerId;
        chains++;
        expectedSeq = 1;
        previous = ChainHash.GENESIS;
      }
      long seq = row.getLong("seq");
      byte[] prevHash = row.getBuffer("prev_hash").getBytes();
      byte[] hash = row.getBuffer("hash").getBytes();
      Instant createdAt =
          row.getOffsetDateTime("created_at").toInstant().truncatedTo(ChronoUnit.MICROS);
      JournalEntry entry =
          new JournalEntry(
              row.getUUID("decision_id"),
              createdAt,
              row.getString("tenant_id"),
              row.getString("request_id"),
              row.getString("country"),
              row.getString("national_id"),
              row.getString("model_version"),
              row.getString("policy_version"),
              row.getString("record").getBytes(StandardCharsets.UTF_8));
      String where =
          "writer " + writerId + " seq " + seq + " (decision " + entry.decisionId() + ")";
      if (seq != expectedSeq) {
        problem(where + ": expected seq " + expectedSeq + ", rows are missing");
      }
      if (!Arrays.equals(prevHash, previous)) {
        problem(where + ": prev_hash does not match the previous row's hash");
      }
      byte[] recomputed = ChainHash.of(prevHash, writerId, seq, entry);
      if (!Arrays.equals(recomputed, hash)) {
        problem(where + ": content does not match its hash " + HexFormat.of().formatHex(hash));
      }
      expectedSeq = seq + 1;
      previous = hash;
    }

    private void problem(String text) {
      if (problems.size() < 20) {
        problems.add(text);
      }
    }

    Report report() {
      return new Report(rows, chains, List.copyOf(problems));
    }
  }
}
