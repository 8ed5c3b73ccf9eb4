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
 * <p>Three row formats share the chain. Rows written before V8 hash their whole record as the last
 * column ({@link #of(byte[], String, long, RecordEntry)}); rows by reference hash, after the same
 * leading columns, a format marker (never a record: records are JSON objects), then the
 * assessment's hash and the decision's own values. Format {@value #BY_REFERENCE_1} was written
 * before the deciding rule was kept; {@value #BY_REFERENCE_2} adds the id of the rule that decided;
 * {@value #BY_REFERENCE_3}, written now, adds what the policy saw that the assessment does not hold
 * (the tenant's exposure, when read, and the platform amount cap in force). The marker is hashed,
 * so a row cannot pass for another format than its own: a chain may hold all four, and each row
 * verifies under the format it was written in.
 */
public final class ChainHash {

  public static final byte[] GENESIS = new byte[32];

  static final String BY_REFERENCE_1 = "decision-by-reference/1";

  static final String BY_REFERENCE_2 = "decision-by-reference/2";

  static final String BY_REFERENCE_3 = "decision-by-reference/3";

  /** The formats of rows by reference, newest first. */
  static final List<String> BY_REFERENCE_FORMATS =
      List.of(BY_REFERENCE_3, BY_REFERENCE_2, BY_REFERENCE_1);

  /** The format of the rows written now. */
  static final String BY_REFERENCE = BY_REFERENCE_3;

  /**
   * One digest per thread, reset before each row: the journal writer hashes every row it writes on
   * its one event loop, and a new digest per row (a provider lookup) cost as much as the hashing.
   * Nothing else uses it while a row is hashed.
   */
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::digest);

  private ChainHash() {}

  /** A row by reference to its assessment, in the format written now ({@value #BY_REFERENCE}). */
  public static byte[] of(byte[] previous, String writerId, long seq, JournalEntry e) {
    return of(previous, writerId, seq, e, BY_REFERENCE);
  }

  /**
   * A row by reference in the given format: {@value #BY_REFERENCE_1} leaves the deciding rule out
   * (it was not kept then), {@value #BY_REFERENCE_2} ends with it: {@code "0"} when no rule
   * decided, else {@code "1"} and the rule's id, so that no id and an empty one hash apart; {@value
   * #BY_REFERENCE_3} then adds the exposure and the amount cap, each the same way ({@code "0"}, or
   * {@code "1"} and the number as Java's {@code Double.toString} writes it).
   */
  static byte[] of(byte[] previous, String writerId, long seq, JournalEntry e, String format) {
    if (!BY_REFERENCE_FORMATS.contains(format)) {
      throw new IllegalArgumentException("unknown journal row format " + format);
    }
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
    put(sha, format);
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
    if (!BY_REFERENCE_1.equals(format)) {
      optional(sha, e.policyRule());
    }
    if (BY_REFERENCE_3.equals(format)) {
      optional(sha, e.exposure() == null ? null : Double.toString(e.exposure()));
      optional(sha, e.amountCap() == null ? null : Double.toString(e.amountCap()));
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
    MessageDigest sha = DIGESTS.get();
    sha.reset();
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

  /** {@code "0"} for no value, else {@code "1"} and the value: none and empty hash apart. */
  private static void optional(MessageDigest sha, String value) {
    if (value == null) {
      put(sha, "0");
    } else {
      put(sha, "1");
      put(sha, value);
    }
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
