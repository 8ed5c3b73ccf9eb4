package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Told of every stored score change, inside the transaction that writes its history row: what a
 * listener writes on {@code tx} commits or rolls back with the changes. A failed future rolls them
 * back. One call carries the changes of one transaction, at most one per company.
 */
public interface ScoreChangeListener {
  Future<Void> onChanges(SqlConnection tx, List<ScoreChange> changes);
}
