package io.scoregate.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of the outbox as a dispatcher claimed it: a webhook to one endpoint, or a mail. Its
 * id is the {@code webhook-id}, the same on every attempt.
 */
record OutboxMessage(
    String id,
    String tenantId,
    String channel,
    UUID endpointId,
    String eventType,
    String payload,
    int attempts,
    Instant createdAt,
    UUID claimId) {

  static final String WEBHOOK = "webhook";
  static final String EMAIL = "email";

  /** A message to write: {@code endpointId} null for a mail. */
  record New(String tenantId, String channel, UUID endpointId, String eventType, String payload) {}

  static String newId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }
}
