package io.scoregate.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * Applies the schema migrations and creates the decision journal's monthly partitions ahead of
 * time. Blocking (JDBC): run before Vert.x starts or on a worker.
 */
public final class Migrations {

  private Migrations() {}

  public static int migrate(PgConfig pg, int partitionsAhead) {
    int applied =
        Flyway.configure()
            .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
            .locations("classpath:db/migration")
            .load()
            .migrate()
            .migrationsExecuted;
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        PreparedStatement s = c.prepareStatement("SELECT ensure_journal_partitions(?)")) {
      s.setInt(1, partitionsAhead);
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("could not create journal partitions: " + e.getMessage(), e);
    }
    return applied;
  }
}
