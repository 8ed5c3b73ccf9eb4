package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told of every accepted fact, inside the transaction that stores it, whether or not the score
 * changes (a new insolvency proceeding, a payment incident, a ceased company matter by themselves).
 * Called before the score change listeners of the same fact.
 */
public interface FactListener {
  Future<Void> onFact(SqlConnection tx, Fact fact);
}
