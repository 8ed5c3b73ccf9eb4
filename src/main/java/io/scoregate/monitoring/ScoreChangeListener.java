package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told of every stored score change, inside the transaction that writes its history row: what a
 * listener writes on {@code tx} commits or rolls back with the change. A failed future rolls the
 * change back.
 */
public interface ScoreChangeListener {
  Future<Void> onChange(SqlConnection tx, ScoreChange change);
}
