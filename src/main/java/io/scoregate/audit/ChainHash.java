package io.scoregate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The hash that links a journal row to the one before it in its writer's chain: SHA-256 of the
 * previous hash followed by every column of the row, each length-prefixed so that no two rows can
 * encode alike. Times count in microseconds, the precision Postgres stores.
 *
 * <p>Two row formats share the chain. Rows written before V8 hash their whole record as the last
 * column ({@link #of(byte[], String, long, RecordEntry)}); rows by reference hash, after the same
 * leading columns, the marker {@value #BY_REFERENCE} (never a record: records are JSON objects) and
 * then the assessment's hash and the decision's own values. A chain may hold both.
 */
public final class ChainHash {

  public static final byte[] GENESIS = new byte[32];

  static final String BY_REFERENCE = "decision-by-reference/1";

  private ChainHash() {}

  /** A row by reference to its assessment. */
  public static byte[] of(byte[] previous, String writerId, long seq, JournalEntry e) {
    MessageDigest sha =
        leading(
            previous,
            writerId,
            seq,
            e.decisionId().toString(),
            e.createdAt(),
            e.tenantId(),
            e.requestId(),
            e.country(),
            e.nationalId(),
            e.modelVersion(),
            e.policyVersion());
    put(sha, BY_REFERENCE);
    put(sha, e.assessmentHash());
    put(sha, Long.toString(micros(e.scoredAt())));
    put(sha, Double.toString(e.amount()));
    put(sha, Integer.toString(e.paymentTerm()));
    put(sha, e.recommendation());
    put(sha, Long.toString(e.maxAmount()));
    put(sha, Integer.toString(e.maxPaymentTerm()));
    List<String> reasons = e.policyReasons();
    put(sha, Integer.toString(reasons.size()));
    for (String code : reasons) {
      put(sha, code);
    }
    return sha.digest();
  }

  /** A row written before V8, with its whole record. */
  public static byte[] of(byte[] previous, String writerId, long seq, RecordEntry e) {
    MessageDigest sha =
        leading(
            previous,
            writerId,
            seq,
            e.decisionId().toString(),
            e.createdAt(),
            e.tenantId(),
            e.requestId(),
            e.country(),
            e.nationalId(),
            e.modelVersion(),
            e.policyVersion());
    put(sha, e.record());
    return sha.digest();
  }

  private static MessageDigest leading(
      byte[] previous,
      String writerId,
      long seq,
      String decisionId,
      Instant createdAt,
      String tenantId,
      String requestId,
      String country,
      String nationalId,
      String modelVersion,
      String policyVersion) {
    MessageDigest sha = Sha256.digest();
    sha.update(previous);
    put(sha, decisionId);
    put(sha, Long.toString(micros(createdAt)));
    put(sha, writerId);
    put(sha, Long.toString(seq));
    put(sha, tenantId);
    put(sha, requestId);
    put(sha, country);
    put(sha, nationalId);
    put(sha, modelVersion);
    put(sha, policyVersion);
    return sha;
  }

  public static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static void put(MessageDigest sha, String value) {
    put(sha, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void put(MessageDigest sha, byte[] bytes) {
    int n = bytes.length;
    sha.update((byte) (n >>> 24));
    sha.update((byte) (n >>> 16));
    sha.update((byte) (n >>> 8));
    sha.update((byte) n);
    sha.update(bytes);
  }
}
