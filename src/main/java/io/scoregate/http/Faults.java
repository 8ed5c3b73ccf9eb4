package io.scoregate.http;

import io.scoregate.problem.ProblemException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Failures that are not a feature's own problem but say something about the world: a dependency
 * (Postgres, Redis) that is down or too slow is a 503 the client may retry, not a 500; text that
 * Postgres cannot store (a NUL character, a byte sequence that is not UTF-8) came from the client
 * and is a 400. Recognised by type and SQLSTATE anywhere in the cause chain.
 */
final class Faults {

  private Faults() {}

  /** The problem this failure means, or null when it is none of the known kinds (a bug). */
  static ProblemException classify(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof ClosedConnectionException
          || t instanceof TimeoutException) {
        return unavailable(failure);
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        String state = db.getSqlState();
        if (state.equals("22021") || state.equals("22P05")) {
          return ProblemException.badRequest(
              "The request holds text that cannot be stored (a NUL character or bytes that are"
                  + " not UTF-8).");
        }
        if (unavailable(state)) {
          return unavailable(failure);
        }
      }
    }
    return null;
  }

  /**
   * SQLSTATE classes of a database that cannot serve now: connection exceptions (08), insufficient
   * resources (53), operator intervention such as a shutdown (57P01-57P03), system errors (58), and
   * a serialization failure or deadlock the client may simply retry (40001, 40P01).
   */
  private static boolean unavailable(String state) {
    return state.startsWith("08")
        || state.startsWith("53")
        || state.startsWith("58")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("40001")
        || state.equals("40P01");
  }

  private static ProblemException unavailable(Throwable cause) {
    return ProblemException.unavailable(
        "The service is temporarily unavailable; retry later.", cause);
  }
}
