package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.required;

import io.scoregate.company.DemoData;
import io.scoregate.company.ImportCommand;
import io.scoregate.company.ImportReport;
import io.scoregate.model.ScoringModel;
import io.scoregate.model.TrainingData;
import io.scoregate.scoring.MasterScale;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code import} and {@code demo-data}: loading companies, statements and events into the store.
 *
 * <pre>
 * import    --file FILE [--kind companies|statements|events] [--batch 2000]
 * demo-data [--companies 10000] [--seed 42] [--dir target/demo-data]
 *           [--training-data ../shared/data/polish-5year-train.csv]
 * demo-data --status      prints "loaded" when the sandbox companies are on file, else "empty"
 * </pre>
 */
final class DataCommands {

  private DataCommands() {}

  static int importFile(Vertx vertx, Pool pool, Map<String, String> o) throws Exception {
    Path file = Path.of(required(o, "file"));
    ImportReport report = await(ImportCommand.run(pool, file, o.get("kind"), batch(o)));
    System.out.print(report);
    return 0;
  }

  static int demoData(Vertx vertx, Pool pool, AppConfig config, Map<String, String> o)
      throws Exception {
    if (o.containsKey("status")) {
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
    int companies = Integer.parseInt(o.getOrDefault("companies", "10000"));
    long seed = Long.parseLong(o.getOrDefault("seed", "42"));
    Path dir = Path.of(o.getOrDefault("dir", "target/demo-data"));
    Path training =
        Path.of(o.getOrDefault("training-data", "../shared/data/polish-5year-train.csv"));
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
      System.out.print(await(ImportCommand.run(pool, file, null, batch(o))));
    }
    return 0;
  }

  private static int batch(Map<String, String> o) {
    return Integer.parseInt(o.getOrDefault("batch", "2000"));
  }

  /**
   * The demo tenant's demo portfolio (created once) and the demo facts about its members, written
   * in {@code --dir} for {@code scripts/run} to send to the events API.
   */
  static int demoPortfolio(Pool pool, AppConfig config, Map<String, String> o) throws Exception {
    java.util.List<String> levels =
        config.policy().levels().stream().map(io.scoregate.scoring.RiskLevelConfig::name).toList();
    io.scoregate.monitoring.DemoPortfolio demo =
        new io.scoregate.monitoring.DemoPortfolio(
            pool,
            java.time.Clock.systemUTC(),
            new io.scoregate.monitoring.PolicyCreditTerms(
                new io.scoregate.scoring.DecisionPolicy(config.policy())),
            levels);
    Path dir = Path.of(o.getOrDefault("dir", "target/demo-data"));
    System.out.println(await(demo.ensure(config.portfolios().demoMembers(), dir)));
    return 0;
  }
}
