package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Verifies the journal: every writer's hash chain (rows numbered 1, 2, 3... without a gap, each
 * row's prev_hash equal to the hash of the row before, each hash recomputed from the row's stored
 * columns), every assessment (its body hashes to its key, its query columns say what its body
 * says), and every decision's reference (the assessment it names exists). Rows are streamed with a
 * cursor, so the journal can be any size; all three passes read one snapshot.
 *
 * <p>Each row is recomputed in the format it was written in ({@link ChainHash}): a row with a
 * record in the format of records, a row by reference in the newest format first, then in the ones
 * before. The format's marker is part of what was hashed, so a row that matches one format cannot
 * be altered into another. A row of a format older than the policy's recorded inputs ({@code
 * exposure}, {@code amount_cap}) that holds any is a problem: its hash does not cover them, and a
 * simulation would replay them.
 */
public final class JournalVerifier {

  private static final String ROWS_SQL =
      """
      SELECT decision_id, created_at, writer_id, seq, tenant_id, request_id, country, national_id,
             model_version, policy_version, record, prev_hash, hash, assessment_hash, scored_at,
             amount, payment_term, recommendation, max_amount, max_payment_term, policy_reasons,
             policy_rule, exposure, amount_cap
      FROM decision_journal ORDER BY writer_id, seq
      """;

  private static final String ASSESSMENTS_SQL =
      """
      SELECT hash, country, national_id, model_version, score, pd, grade, risk_level, data_as_of,
             body
      FROM assessments
      """;

  private static final String DANGLING_SQL =
      """
      SELECT j.writer_id, j.seq, j.decision_id, j.assessment_hash FROM decision_journal j
      WHERE j.assessment_hash IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.hash = j.assessment_hash)
      LIMIT 20
      """;

  private static final int MAX_PROBLEMS = 20;

  /** The format of rows written before V8, with their whole record. */
  public static final String RECORD_FORMAT = "record";

  /**
   * The outcome: rows checked, chains seen, assessments checked, the rows verified in each format
   * (by the format's name: {@value #RECORD_FORMAT}, {@code decision-by-reference/1}, ...), how many
   * rows of format {@code decision-by-reference/1} name a deciding rule that their hash does not
   * cover (written between V15 and format /2), the first problems found.
   */
  public record Report(
      long rows,
      int chains,
      long assessments,
      Map<String, Long> formats,
      long rulesOutsideChain,
      List<String> problems) {
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
        conn -> {
          Checker checker = new Checker();
          return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
              .execute()
              .compose(v -> stream(conn, ROWS_SQL, checker::check))
              .compose(v -> stream(conn, ASSESSMENTS_SQL, checker::checkAssessment))
              .compose(v -> conn.query(DANGLING_SQL).execute())
              .map(
                  rows -> {
                    for (Row r : rows) {
                      checker.problem(
                          "writer "
                              + r.getString(0)
                              + " seq "
                              + r.getLong(1)
                              + " (decision "
                              + r.getUUID(2)
                              + "): assessment "
                              + HexFormat.of().formatHex(r.getBuffer(3).getBytes())
                              + " is missing");
                    }
                    return checker.report();
                  });
        });
  }

  private static Future<Void> stream(SqlConnection conn, String sql, Consumer<Row> check) {
    return conn.prepare(sql)
        .compose(
            statement -> {
              Promise<Void> done = Promise.promise();
              RowStream<Row> stream = statement.createStream(1000);
              stream.exceptionHandler(done::tryFail);
              stream.endHandler(v -> done.tryComplete());
              stream.handler(check::accept);
              return done.future();
            });
  }

  private static final class Checker {
    private final List<String> problems = new ArrayList<>();
    private long rows;
    private long assessments;
    private int chains;
    private String writer;
    private long expectedSeq;
    private byte[] previous;
    private final Map<String, Long> formats = new TreeMap<>();
    private long rulesOutsideChain;

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
      String where =
          "writer " + writerId + " seq " + seq + " (decision " + row.getUUID("decision_id") + ")";
      if (seq != expectedSeq) {
        problem(where + ": expected seq " + expectedSeq + ", rows are missing");
      }
      if (!Arrays.equals(prevHash, previous)) {
        problem(where + ": prev_hash does not match the previous row's hash");
      }
      String format = formatOf(row, prevHash, writerId, seq, hash);
      if (format == null) {
        problem(where + ": content does not match its hash " + HexFormat.of().formatHex(hash));
      } else {
        formats.merge(format, 1L, Long::sum);
        if (ChainHash.BY_REFERENCE_1.equals(format) && row.getString("policy_rule") != null) {
          rulesOutsideChain++;
        }
        if (!ChainHash.BY_REFERENCE_3.equals(format)
            && (row.getValue("exposure") != null || row.getValue("amount_cap") != null)) {
          problem(where + ": holds policy inputs its " + format + " hash does not cover");
        }
      }
      expectedSeq = seq + 1;
      previous = hash;
    }

    /** The format in which the row's columns hash to its stored hash; null when none does. */
    private static String formatOf(
        Row row, byte[] prevHash, String writerId, long seq, byte[] hash) {
      Instant createdAt = micros(row, "created_at");
      String record = row.getString("record");
      if (record != null) {
        byte[] recomputed =
            ChainHash.of(
                prevHash,
                writerId,
                seq,
                new RecordEntry(
                    row.getUUID("decision_id"),
                    createdAt,
                    row.getString("tenant_id"),
                    row.getString("request_id"),
                    row.getString("country"),
                    row.getString("national_id"),
                    row.getString("model_version"),
                    row.getString("policy_version"),
                    record.getBytes(StandardCharsets.UTF_8)));
        return Arrays.equals(recomputed, hash) ? RECORD_FORMAT : null;
      }
      if (row.getValue("assessment_hash") == null) {
        return null; // neither a record nor a reference: never matches
      }
      String[] reasons = row.getArrayOfStrings("policy_reasons");
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
              row.getBuffer("assessment_hash").getBytes(),
              micros(row, "scored_at"),
              row.getDouble("amount"),
              row.getInteger("payment_term"),
              row.getString("recommendation"),
              row.getLong("max_amount"),
              row.getInteger("max_payment_term"),
              reasons == null ? List.of() : List.of(reasons),
              row.getString("policy_rule"),
              row.getDouble("exposure"),
              row.getDouble("amount_cap"));
      for (String format : ChainHash.BY_REFERENCE_FORMATS) {
        if (Arrays.equals(ChainHash.of(prevHash, writerId, seq, entry, format), hash)) {
          return format;
        }
      }
      return null;
    }

    private static Instant micros(Row row, String column) {
      return row.getOffsetDateTime(column).toInstant().truncatedTo(ChronoUnit.MICROS);
    }

    void checkAssessment(Row row) {
      assessments++;
      byte[] key = row.getBuffer("hash").getBytes();
      String body = row.getString("body");
      String where = "assessment " + HexFormat.of().formatHex(key);
      if (!Arrays.equals(Sha256.of(body.getBytes(StandardCharsets.UTF_8)), key)) {
        problem(where + ": body does not match its hash");
        return;
      }
      JsonObject a;
      try {
        a = new JsonObject(body);
      } catch (RuntimeException e) {
        problem(where + ": body is not JSON");
        return;
      }
      JsonObject company = a.getJsonObject("company", new JsonObject());
      LocalDate dataAsOf = row.getLocalDate("data_as_of");
      boolean same =
          Objects.equals(row.getString("country"), company.getString("country"))
              && Objects.equals(row.getString("national_id"), company.getString("id"))
              && Objects.equals(row.getString("model_version"), a.getString("model_version"))
              && Objects.equals(row.getInteger("score"), a.getInteger("score"))
              && Objects.equals(row.getDouble("pd"), a.getDouble("pd"))
              && Objects.equals(row.getString("grade"), a.getString("grade"))
              && Objects.equals(row.getString("risk_level"), a.getString("risk_level"))
              && Objects.equals(
                  dataAsOf == null ? null : dataAsOf.toString(), a.getString("data_as_of"));
      if (!same) {
        problem(where + ": its columns do not say what its body says");
      }
    }

    void problem(String text) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(text);
      }
    }

    Report report() {
      return new Report(
          rows,
          chains,
          assessments,
          Collections.unmodifiableMap(new TreeMap<>(formats)),
          rulesOutsideChain,
          List.copyOf(problems));
    }
  }
}
