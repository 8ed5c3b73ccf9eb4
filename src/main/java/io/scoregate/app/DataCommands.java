package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.withVertxPool;

import io.scoregate.company.DemoData;
import io.scoregate.company.ImportCommand;
import io.scoregate.company.ImportReport;
import io.scoregate.model.ScoringModel;
import io.scoregate.model.TrainingData;
import io.scoregate.scoring.MasterScale;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import} and {@code demo-data}: loading companies, statements and events into the store.
 *
 * <pre>
 * import    --file FILE [--kind companies|statements|events] [--batch 2000]
 * demo-data [--companies 10000] [--seed 42] [--dir target/demo-data]
 *           [--training-data ../shared/data/polish-5year-train.csv]
 * demo-data --status      prints "loaded" when the sandbox companies are on file, else "empty"
 * demo-portfolio [--dir target/demo-data]
 * </pre>
 */
@Command(name = "data", description = "Loading companies, statements and events.")
final class DataCommands {

  @Command(
      name = "import",
      description = "Import companies, financial statements or events from a CSV or NDJSON file.")
  static int importFile(
      @Option(names = "--file", required = true, paramLabel = "FILE") Path file,
      @Option(
              names = "--kind",
              paramLabel = "KIND",
              description = "companies|statements|events (default: from the file)")
          String kind,
      @Option(names = "--batch", defaultValue = "2000", description = "rows per insert")
          int batch) {
    return withVertxPool(
        (vertx, pool) -> {
          ImportReport report = await(ImportCommand.run(pool, file, kind, batch));
          System.out.print(report);
          return 0;
        });
  }

  @Command(
      name = "demo-data",
      description = "Generate demo companies from the training data and import them.")
  static int demoData(
      @Option(names = "--companies", defaultValue = "10000") int companies,
      @Option(names = "--seed", defaultValue = "42") long seed,
      @Option(names = "--dir", defaultValue = "target/demo-data") Path dir,
      @Option(names = "--training-data", defaultValue = "../shared/data/polish-5year-train.csv")
          Path training,
      @Option(names = "--batch", defaultValue = "2000", description = "rows per insert") int batch,
      @Option(
              names = "--status",
              description =
                  "print \"loaded\" when the sandbox companies are on file, else \"empty\"")
          boolean status) {
    AppConfig config = ConfigLoader.load(System.getenv());
    return withVertxPool(
        (vertx, pool) ->
            status
                ? demoDataStatus(pool)
                : demoData(pool, config, companies, seed, dir, training, batch));
  }

  private static int demoDataStatus(Pool pool) throws Exception {
    long sandbox =
        await(
            pool.preparedQuery(
                    "SELECT count(*) FROM companies c JOIN financial_statements s"
                        + " ON s.company_id = c.id WHERE c.country = 'FR' AND c.national_id = $1")
                .execute(Tuple.of("000000018"))
                .map(rows -> rows.iterator().next().getLong(0)));
    System.out.println(sandbox > 0 ? "loaded" : "empty");
    return 0;
  }

  static int demoData(
      Pool pool, AppConfig config, int companies, long seed, Path dir, Path training, int batch)
      throws Exception {
    TrainingData data = TrainingData.read(training);
    List<DemoData.Profile> profiles = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      profiles.add(new DemoData.Profile(data.rows()[i], data.labels()[i]));
    }
    ScoringModel model = Gateway.parseArtifact(Gateway.readArtifact(config.model()));
    MasterScale scale = new MasterScale(config.policy());
    DemoData demo =
        new DemoData(
            profiles, features -> scale.score(model.pd(features)), LocalDate.now(ZoneOffset.UTC));
    long start = System.nanoTime();
    List<Path> files = demo.write(dir, companies, seed);
    System.out.printf(
        "generated %,d companies (+%d sandbox) in %s in %.1f s%n",
        companies, DemoData.SANDBOX.size(), dir, (System.nanoTime() - start) / 1e9);
    for (Path file : files) {
      System.out.print(await(ImportCommand.run(pool, file, null, batch)));
    }
    return 0;
  }

  /**
   * The demo tenant's demo portfolio (created once) and the demo facts about its members, written
   * in {@code --dir} for {@code scripts/run} to send to the events API.
   */
  @Command(
      name = "demo-portfolio",
      description = "Create the demo tenant's demo portfolio and write its members' demo facts.")
  static int demoPortfolio(@Option(names = "--dir", defaultValue = "target/demo-data") Path dir) {
    AppConfig config = ConfigLoader.load(System.getenv());
    return withVertxPool((vertx, pool) -> demoPortfolio(pool, config, dir));
  }

  private static int demoPortfolio(Pool pool, AppConfig config, Path dir) throws Exception {
    java.util.List<String> levels =
        config.policy().levels().stream().map(io.scoregate.scoring.RiskLevelConfig::name).toList();
    io.scoregate.monitoring.DemoPortfolio demo =
        new io.scoregate.monitoring.DemoPortfolio(
            pool,
            java.time.Clock.systemUTC(),
            new io.scoregate.monitoring.PolicyCreditTerms(
                new io.scoregate.scoring.DecisionPolicy(config.policy())),
            levels);
    System.out.println(await(demo.ensure(config.portfolios().demoMembers(), dir)));
    return 0;
  }
}
