package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.scoring.AssessmentService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's score cache true to Postgres: it listens on the monitoring channel
 * (Postgres LISTEN/NOTIFY, sent by the transactions that change a score, delivered at their commit)
 * and drops the cached score of each company named. While the connection is lost, notifications are
 * missed: on reconnecting, the whole cache is dropped.
 */
public final class ScoreInvalidation {

  private static final Logger LOG = LoggerFactory.getLogger(ScoreInvalidation.class);
  private static final String ALL = "*";

  private final PgSubscriber subscriber;
  private final AssessmentService assessments;
  private final String channel;
  private boolean connectedOnce;

  public ScoreInvalidation(
      Vertx vertx, PgConnectOptions options, String channel, AssessmentService assessments) {
    this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
    this.channel = channel;
    this.assessments = assessments;
  }

  /** What a notification says of a company: {@code FR:732829320}. */
  static String payload(CompanyKey key) {
    return key.country() + ":" + key.nationalId();
  }

  public Future<Void> start() {
    subscriber
        .channel(channel)
        .subscribeHandler(
            v -> {
              if (connectedOnce) {
                LOG.info("score invalidations heard again: cached scores dropped");
                assessments.invalidateAll();
              }
              connectedOnce = true;
            })
        .handler(this::heard);
    return subscriber.connect();
  }

  private void heard(String payload) {
    if (ALL.equals(payload)) {
      assessments.invalidateAll();
      return;
    }
    int colon = payload.indexOf(':');
    if (colon == 2) {
      assessments.invalidate(new CompanyKey(payload.substring(0, 2), payload.substring(3)));
    }
  }

  public Future<Void> stop() {
    return subscriber.close();
  }
}
