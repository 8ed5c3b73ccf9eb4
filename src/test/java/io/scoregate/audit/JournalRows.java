package io.scoregate.audit;

import io.scoregate.support.TestPostgres;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes decision rows by reference as a writer of an earlier or the current format did, chained
 * and hashed in that format, for tests of journals that mix formats.
 */
public final class JournalRows {

  public static final String FORMAT_1 = ChainHash.BY_REFERENCE_1;
  public static final String FORMAT_2 = ChainHash.BY_REFERENCE_2;
  public static final String FORMAT_3 = ChainHash.BY_REFERENCE_3;

  private JournalRows() {}

  /**
   * Inserts {@code e} as row {@code seq} of {@code writer}'s chain after {@code previous}, hashed
   * in {@code format}; the columns a format did not have yet stay NULL. Returns the row's hash.
   */
  public static byte[] insert(
      JournalEntry e, String writer, long seq, byte[] previous, String format) {
    byte[] hash = ChainHash.of(previous, writer, seq, e, format);
    boolean three = FORMAT_3.equals(format);
    TestPostgres.execute(
        "INSERT INTO decision_journal (decision_id, created_at, writer_id, seq, tenant_id,"
            + " request_id, country, national_id, model_version, policy_version,"
            + " assessment_hash, scored_at, amount, payment_term, recommendation, max_amount,"
            + " max_payment_term, policy_reasons, prev_hash, hash, policy_rule, exposure,"
            + " amount_cap) VALUES ("
            + String.join(
                ", ",
                List.of(
                    text(e.decisionId().toString()),
                    text(e.createdAt().toString()),
                    text(writer),
                    Long.toString(seq),
                    text(e.tenantId()),
                    text(e.requestId()),
                    text(e.country()),
                    text(e.nationalId()),
                    text(e.modelVersion()),
                    text(e.policyVersion()),
                    bytes(e.assessmentHash()),
                    text(e.scoredAt().toString()),
                    Double.toString(e.amount()),
                    Integer.toString(e.paymentTerm()),
                    text(e.recommendation()),
                    Long.toString(e.maxAmount()),
                    Integer.toString(e.maxPaymentTerm()),
                    e.policyReasons().isEmpty()
                        ? "NULL"
                        : "ARRAY["
                            + String.join(
                                ",", e.policyReasons().stream().map(JournalRows::text).toList())
                            + "]",
                    bytes(previous),
                    bytes(hash),
                    FORMAT_1.equals(format) || e.policyRule() == null
                        ? "NULL"
                        : text(e.policyRule()),
                    three && e.exposure() != null ? Double.toString(e.exposure()) : "NULL",
                    three && e.amountCap() != null ? Double.toString(e.amountCap()) : "NULL"))
            + ")");
    return hash;
  }

  private static String text(String value) {
    return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
  }

  private static String bytes(byte[] value) {
    return "'\\x" + HexFormat.of().formatHex(value) + "'";
  }
}
