package io.scoregate.edge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Redis commands sent from an event loop go on a connection of that loop's own, held open and
 * pipelined. A command sent through the pool instead leases whichever connection is free, often one
 * whose socket another event loop serves: two hops between threads per command, one command per
 * read on the Redis side. A connection that fails or closes is forgotten and the next command opens
 * another; calls from outside an event loop use the pool.
 */
final class LoopRedis {

  private final Redis pool;
  private final Supplier<Redis> clients;
  // By event-loop thread, not by context: each HTTP request runs on a context of its own (a
  // duplicate of its verticle's), on its verticle's thread.
  private final Map<Thread, Future<RedisConnection>> connections = new ConcurrentHashMap<>();

  /**
   * @param pool the shared client, for calls from outside an event loop
   * @param clients makes a client whose connection opens on the event loop that asks for it
   */
  LoopRedis(Redis pool, Supplier<Redis> clients) {
    this.pool = pool;
    this.clients = clients;
  }

  Future<Response> send(Request request) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return pool.send(request);
    }
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connection = connections.get(loop);
    if (connection == null) {
      connection = open(loop);
    }
    return connection.compose(c -> c.send(request));
  }

  private Future<RedisConnection> open(Thread loop) {
    Redis client = clients.get();
    Future<RedisConnection> connection = client.connect();
    // In the map before any handler can run, and removed only while it is still this loop's
    // connection: a late end of an old connection must not drop the one that replaced it.
    connections.put(loop, connection);
    connection
        .onSuccess(
            c -> {
              c.exceptionHandler(e -> forget(loop, connection, client));
              c.endHandler(v -> forget(loop, connection, client));
            })
        .onFailure(e -> forget(loop, connection, client));
    return connection;
  }

  private void forget(Thread loop, Future<RedisConnection> connection, Redis client) {
    connections.remove(loop, connection);
    client.close();
  }
}
