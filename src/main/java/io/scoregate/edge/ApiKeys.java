package io.scoregate.edge;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shape of API keys and how they are verified. A key reads {@code sgk_<12 chars>.<secret>}: the
 * part before the dot is its public id, stored in clear to find the key; the secret is kept only as
 * HMAC-SHA256 under a server-side pepper and compared in constant time. A key chosen by hand (the
 * demo key) has no dot: its id is derived from a hash of it.
 */
public final class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private final byte[] pepper;

  /**
   * One keyed HMAC per thread (each event loop checks the keys of its own calls): looking the
   * algorithm up and keying it again for every call cost more than the HMAC itself.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::keyedMac);

  public ApiKeys(String pepper) {
    if (pepper == null || pepper.length() < 16) {
      throw new IllegalArgumentException(
          "invalid configuration: edge.apiKeyPepper needs 16+ characters");
    }
    this.pepper = pepper.getBytes(StandardCharsets.UTF_8);
  }

  private Mac keyedMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** A new key: its id and the full key, which is shown once and never stored. */
  public record NewKey(String id, String key) {}

  public NewKey generate() {
    StringBuilder id = new StringBuilder("sgk_");
    for (int i = 0; i < 12; i++) {
      id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new NewKey(id.toString(), key);
  }

  /** The public id of a presented key. */
  public static String idOf(String key) {
    int dot = key.indexOf('.');
    if (key.startsWith("sgk_") && dot == 16) {
      return key.substring(0, dot);
    }
    return "sgk_h" + HexFormat.of().formatHex(sha256(key)).substring(0, 11);
  }

  public byte[] hash(String key) {
    // doFinal leaves the Mac reset, keyed, for the next call on this thread.
    return macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Constant-time: how long it takes says nothing of how much of the key was right. */
  public boolean matches(String key, byte[] storedHash) {
    return MessageDigest.isEqual(hash(key), storedHash);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
