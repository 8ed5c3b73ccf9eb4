package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Told of the alerts a rule evaluation inserted, inside the transaction that inserted them:
 * whatever a listener writes (e.g. a notification outbox) commits or rolls back with the alerts.
 * Called once per evaluation with a non-empty list.
 */
public interface AlertListener {
  Future<Void> onAlerts(SqlConnection tx, List<Alert> alerts);
}
