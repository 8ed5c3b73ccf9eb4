package io.scoregate.app;

import static io.scoregate.config.ConfigCheck.require;

/** Configuration key {@code pg}: the Postgres connection, pool and timeouts. */
public record PgConfig(
    String host,
    int port,
    String database,
    String user,
    String password,
    int maxPoolSize,
    int pipeliningLimit,
    int connectTimeoutMs,
    long statementTimeoutMs,
    boolean migrateOnStart) {
  public PgConfig {
    require(maxPoolSize > 0, "pg.maxPoolSize must be > 0");
    require(pipeliningLimit > 0, "pg.pipeliningLimit must be > 0");
    require(connectTimeoutMs > 0, "pg.connectTimeoutMs must be > 0");
    require(statementTimeoutMs > 0, "pg.statementTimeoutMs must be > 0");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "PgConfig[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
