package io.scoregate.app;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Where Postgres is, as the Vert.x client wants it, and the small pool of the commands. */
final class Postgres {

  private Postgres() {}

  static PgConnectOptions connectOptions(PgConfig pg) {
    return new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .setPassword(pg.password());
  }

  /** For one-shot commands (import, journal verify): no statement timeout, a few connections. */
  static Pool commandPool(Vertx vertx, PgConfig pg) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
