package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Told of every accepted fact, inside the transaction that stores it, whether or not the score
 * changes (a new insolvency proceeding, a payment incident, a ceased company matter by themselves).
 * Called before the score change listeners of the same facts. One call carries the facts of one
 * transaction, at most one per company.
 */
public interface FactListener {
  Future<Void> onFacts(SqlConnection tx, List<Fact> facts);
}
