package io.scoregate.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the journal's one hash function. */
final class Sha256 {

  private Sha256() {}

  static byte[] of(byte[] bytes) {
    return digest().digest(bytes);
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
