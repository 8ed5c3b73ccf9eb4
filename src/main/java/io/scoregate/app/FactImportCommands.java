package io.scoregate.app;

import static io.scoregate.app.Main.await;

import com.github.benmanes.caffeine.cache.Ticker;
import io.scoregate.company.BodaccImport;
import io.scoregate.company.FactSink;
import io.scoregate.company.OpenDataReport;
import io.scoregate.company.SireneImport;
import io.scoregate.monitoring.FactService;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-bodacc} and {@code import-sirene}: the public open-data files as facts. The command
 * runs a gateway of its own (HTTP on a free port, no scheduled rounds), so every fact takes the
 * path of the events API: stored, re-scored, its listeners told, and the running instances' cached
 * scores dropped.
 *
 * <pre>
 * import-bodacc --file annonces-commerciales.json [--in-flight 400]
 * import-sirene --file StockUniteLegale_utf8.csv [--batch 2000] [--in-flight 400]
 * </pre>
 */
@Command(name = "open-data", description = "The public open-data files as facts.")
final class FactImportCommands {

  @Command(
      name = "import-bodacc",
      description = "Import BODACC announcements (JSON or NDJSON) as facts.")
  static int importBodacc(
      @Option(names = "--file", required = true, paramLabel = "FILE") Path file,
      @Option(
              names = "--in-flight",
              defaultValue = "400",
              description =
                  "facts handed to the fact service at once (they share its transactions)")
          int inFlight)
      throws Exception {
    return run(file, null, inFlight);
  }

  @Command(
      name = "import-sirene",
      description = "Import the SIRENE stock of legal units (CSV) as companies and facts.")
  static int importSirene(
      @Option(names = "--file", required = true, paramLabel = "FILE") Path file,
      @Option(names = "--batch", defaultValue = "2000", description = "rows per insert") int batch,
      @Option(
              names = "--in-flight",
              defaultValue = "400",
              description =
                  "facts handed to the fact service at once (they share its transactions)")
          int inFlight)
      throws Exception {
    return run(file, batch, inFlight);
  }

  /** BODACC when {@code batch} is null, SIRENE otherwise. */
  private static int run(Path file, Integer batch, int inFlight) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("SCOREGATE_HTTP_PORT", Integer.toString(freePort()));
    env.put("SCOREGATE_HTTP_INSTANCES", "1");
    env.put("SCOREGATE_MONITORING_ROUNDS_ENABLED", "false");
    AppConfig config = ConfigLoader.load(env);
    if (config.pg().migrateOnStart()) {
      Migrations.migrate(config.pg(), config.journal().partitionsAhead());
    }
    Gateway gateway = new Gateway(config, Clock.systemUTC(), Ticker.systemTicker());
    try {
      await(gateway.start());
      FactService facts = gateway.facts();
      FactSink sink = event -> facts.ingest(event).map(outcome -> !outcome.duplicate());
      OpenDataReport report;
      if (batch == null) {
        report = await(BodaccImport.run(file, sink, inFlight));
      } else {
        Pool pool = Postgres.commandPool(gateway.vertx(), config.pg());
        report = await(SireneImport.run(pool, file, sink, batch, inFlight));
      }
      System.out.print(report);
      return 0;
    } finally {
      await(gateway.stop());
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
