package io.scoregate.batch;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told when a batch has finished (completed, or failed), inside the transaction that marks it so:
 * what a listener writes (a webhook outbox row) commits or rolls back with the batch's status. A
 * failing listener fails that transaction, and the chunk that finished the batch is retried.
 */
public interface BatchListener {

  Future<Void> onCompleted(SqlConnection tx, BatchSummary summary);
}
