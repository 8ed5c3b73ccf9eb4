package io.scoregate.support;

import io.scoregate.app.Migrations;
import io.scoregate.app.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * The real Postgres the integration tests use (started by scripts/test or .ci/run), named by the
 * system property {@code scoregate.test.pg.url}. The schema is rebuilt once per test JVM.
 */
public final class TestPostgres {

  public static final String URL =
      System.getProperty(
          "scoregate.test.pg.url",
          "postgresql://scoregate:scoregate@127.0.0.1:5432/scoregate_test");

  private static boolean migrated;

  private TestPostgres() {}

  public static String host() {
    return URI.create(URL).getHost();
  }

  public static int port() {
    int port = URI.create(URL).getPort();
    return port < 0 ? 5432 : port;
  }

  public static String database() {
    return URI.create(URL).getPath().substring(1);
  }

  public static String user() {
    return URI.create(URL).getUserInfo().split(":", 2)[0];
  }

  public static String password() {
    return URI.create(URL).getUserInfo().split(":", 2)[1];
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
  }

  public static PgConfig pgConfig() {
    return new PgConfig(host(), port(), database(), user(), password(), 4, 64, 2000, 5000, false);
  }

  /** A small pool on the test database. */
  public static Pool pool(Vertx vertx) {
    return PgBuilder.pool()
        .connectingTo(
            new PgConnectOptions()
                .setHost(host())
                .setPort(port())
                .setDatabase(database())
                .setUser(user())
                .setPassword(password()))
        .using(vertx)
        .build();
  }

  /** Drops and rebuilds the schema once per JVM; tests then use identifiers of their own. */
  public static synchronized void ensureSchema() {
    if (migrated) {
      return;
    }
    Flyway.configure()
        .dataSource(jdbcUrl(), user(), password())
        .cleanDisabled(false)
        .load()
        .clean();
    Migrations.migrate(pgConfig(), 2);
    migrated = true;
  }

  public static void execute(String... sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password());
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String string(String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password());
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long count(String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password());
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
