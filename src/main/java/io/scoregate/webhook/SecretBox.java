package io.scoregate.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes endpoint signing secrets and keeps them encrypted at rest (AES-256-GCM under {@code
 * webhook.secretKey}, the endpoint id as associated data, so a ciphertext copied to another
 * endpoint does not decrypt). Encrypted, not hashed: HMAC signing needs the secret itself.
 */
final class SecretBox {

  static final String PREFIX = "whsec_";
  private static final int SECRET_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  SecretBox(String base64Key) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: webhook.secretKey is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "invalid configuration: webhook.secretKey must be base64 of 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** A new secret: {@code whsec_} and base64 of 32 random bytes (the standard asks 24-64). */
  String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  byte[] encrypt(String secret, String endpointId) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a webhook secret", e);
    }
  }

  String decrypt(byte[] box, String endpointId) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
      cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // Another key (webhook.secretKey changed) or a tampered row: never sign with garbage.
      throw new IllegalStateException("cannot decrypt the secret of endpoint " + endpointId);
    }
  }
}
