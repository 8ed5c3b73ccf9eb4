package io.scoregate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The hash that links a journal row to the one before it in its writer's chain: SHA-256 of the
 * previous hash followed by every column of the row, each length-prefixed so that no two rows can
 * encode alike. Times count in microseconds, the precision Postgres stores.
 */
public final class ChainHash {

  public static final byte[] GENESIS = new byte[32];

  private ChainHash() {}

  public static byte[] of(byte[] previous, String writerId, long seq, JournalEntry e) {
    MessageDigest sha = sha256();
    sha.update(previous);
    put(sha, e.decisionId().toString());
    put(sha, Long.toString(micros(e.createdAt())));
    put(sha, writerId);
    put(sha, Long.toString(seq));
    put(sha, e.tenantId());
    put(sha, e.requestId());
    put(sha, e.country());
    put(sha, e.nationalId());
    put(sha, e.modelVersion());
    put(sha, e.policyVersion());
    put(sha, e.record());
    return sha.digest();
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
