package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes connections that hold the server without asking anything of it: a connection must deliver
 * a complete request head within {@code http.requestHeaderTimeoutMs} after it opens or after its
 * previous answer. A client that trickles a header a byte at a time (slowloris) is closed when the
 * time is up however busy it keeps the socket, which an idle timeout alone would not do; an idle
 * keep-alive connection is closed after the same time. Bodies have the request timeout, streamed
 * ones their own.
 *
 * <p>One per HTTP server: its handlers all run on that server's event loop, so its state needs no
 * locking.
 */
public final class SlowClients {

  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final Map<HttpConnection, Waiting> connections = new IdentityHashMap<>();

  public SlowClients(Vertx vertx, long headerTimeoutMs) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
  }

  /** The server's connection handler: every new connection starts waiting for a request head. */
  public void opened(HttpConnection connection) {
    Waiting waiting = new Waiting(connection);
    connections.put(connection, waiting);
    connection.closeHandler(
        closed -> {
          Waiting gone = connections.remove(connection);
          if (gone != null) {
            vertx.cancelTimer(gone.timer);
          }
        });
    waiting.arm();
  }

  /** Wraps the server's request handler: a request head arrived on its connection. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      Waiting waiting = connections.get(request.connection());
      if (waiting != null) {
        // No timer work per request: the next look sees this one.
        waiting.current = request;
        waiting.answeredAtLastLook = false;
      }
      next.handle(request);
    };
  }

  /**
   * A connection's latest request and a timer that looks at it every {@code headerTimeoutMs}
   * (rather than hooks on the answer, which the router owns): a connection is closed at the first
   * look that finds no request since the connection opened, or finds the latest one answered at a
   * look before, so between one and two periods after the answer, never while a request is served.
   */
  private final class Waiting {
    private final HttpConnection connection;
    private HttpServerRequest current;
    private boolean answeredAtLastLook;
    private long timer = -1;

    Waiting(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      timer = vertx.setTimer(headerTimeoutMs, id -> look());
    }

    private void look() {
      timer = -1;
      boolean answered =
          current == null || current.response().ended() || current.response().closed();
      if (!answered) {
        arm();
      } else if (current == null || answeredAtLastLook) {
        connection.close();
      } else {
        answeredAtLastLook = true;
        arm();
      }
    }
  }
}
