package io.scoregate.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks v1 signatures, made by the official library: {@code v1,} + base64 HMAC-SHA256
 * of {@code id.timestamp.body} under the decoded secret. During a rotation's overlap both secrets
 * sign, space-separated in one header, as the standard allows.
 */
final class Signatures {

  private Signatures() {}

  static String header(List<String> secrets, String messageId, long timestamp, String body) {
    return secrets.stream()
        .map(secret -> sign(secret, messageId, timestamp, body))
        .collect(Collectors.joining(" "));
  }

  private static String sign(String secret, String messageId, long timestamp, String body) {
    try {
      return new Webhook(secret).sign(messageId, timestamp, body);
    } catch (WebhookSigningException e) {
      throw new IllegalStateException("cannot sign message " + messageId);
    }
  }
}
