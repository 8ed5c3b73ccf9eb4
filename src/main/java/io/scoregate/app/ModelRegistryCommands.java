package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.withVertxPool;

import io.scoregate.model.ScoringModel;
import io.scoregate.model.ServingModels;
import io.scoregate.rollout.Backtest;
import io.scoregate.rollout.ModelRegistryRepository;
import io.scoregate.rollout.RegisteredModel;
import io.scoregate.rollout.RolloutService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The model commands that need the database: the registry (register, list, shadow, promote, retire,
 * roll back, the change log) and the back-test. Running gateways follow a change made here within
 * {@code model.registryPollMs}.
 *
 * <pre>
 * model register --artifact FILE.json [--report validation-report.json]
 * model list | changes
 * model shadow | promote | retire --version V [--reason TEXT]
 * model rollback [--reason TEXT]
 * model backtest [--from 2026-01-01] [--to 2026-12-01] [--window month|quarter]
 *                [--horizon-months 12] [--out FILE.json]
 * </pre>
 */
@Command(name = "model-registry", description = "The model registry and the back-test.")
final class ModelRegistryCommands {

  private static String actor() {
    return "cli:" + System.getProperty("user.name", "operator");
  }

  @Command(name = "register", description = "Register a model artifact as a candidate.")
  static int register(
      @Option(names = "--artifact", required = true, paramLabel = "FILE.json") Path artifact,
      @Option(names = "--report", paramLabel = "REPORT.json", description = "its validation report")
          Path report) {
    return withVertxPool(
        (vertx, pool) -> {
          String json = Files.readString(artifact);
          JsonObject validation = report != null ? new JsonObject(Files.readString(report)) : null;
          boolean added =
              await(
                  RolloutService.register(
                      vertx,
                      new ModelRegistryRepository(pool),
                      Clock.systemUTC(),
                      json,
                      validation,
                      actor()));
          System.out.println(added ? "registered as a candidate" : "already registered");
          return 0;
        });
  }

  @Command(name = "list", description = "List the registered models.")
  static int list() {
    return withVertxPool(
        (vertx, pool) -> {
          for (RegisteredModel m : await(new ModelRegistryRepository(pool).list())) {
            System.out.printf(
                Locale.ROOT,
                "%-20s %-10s registered %s  AUC %s%n",
                m.version(),
                m.status().wire(),
                m.registeredAt(),
                m.metrics().getValue("auc_mean"));
          }
          return 0;
        });
  }

  @Command(name = "changes", description = "Print the registry's last 100 changes.")
  static int changes() {
    return withVertxPool(
        (vertx, pool) -> {
          for (ModelRegistryRepository.Change c :
              await(new ModelRegistryRepository(pool).changes(100))) {
            System.out.println(c.json().encode());
          }
          return 0;
        });
  }

  @Command(name = "rollback", description = "Make the previous champion the champion again.")
  static int rollback(@Option(names = "--reason", defaultValue = "command line") String reason) {
    return withVertxPool(
        (vertx, pool) -> {
          RolloutService rollout = service(vertx, pool);
          System.out.println("champion: " + await(rollout.rollback(actor(), reason)));
          return 0;
        });
  }

  @Command(name = "shadow", description = "Score a model in shadow beside the champion.")
  static int shadow(
      @Option(names = "--version", required = true) String version,
      @Option(names = "--reason", defaultValue = "command line") String reason) {
    return change("shadow", version, reason);
  }

  @Command(name = "promote", description = "Make a model the champion.")
  static int promote(
      @Option(names = "--version", required = true) String version,
      @Option(names = "--reason", defaultValue = "command line") String reason) {
    return change("promote", version, reason);
  }

  @Command(name = "retire", description = "Retire a model.")
  static int retire(
      @Option(names = "--version", required = true) String version,
      @Option(names = "--reason", defaultValue = "command line") String reason) {
    return change("retire", version, reason);
  }

  private static int change(String verb, String version, String reason) {
    return withVertxPool(
        (vertx, pool) -> {
          RolloutService rollout = service(vertx, pool);
          await(
              switch (verb) {
                case "shadow" -> rollout.shadow(version, actor(), reason);
                case "promote" -> rollout.promote(version, actor(), reason);
                default -> rollout.retire(version, actor(), reason);
              });
          System.out.println(version + ": " + verb + " done");
          return 0;
        });
  }

  @Command(
      name = "backtest",
      description = "Realised defaults against the journal's PDs, per window.")
  static int backtest(
      @Option(names = "--from", description = "default: two years ago") LocalDate from,
      @Option(names = "--to", description = "default: tomorrow") LocalDate to,
      @Option(names = "--window", defaultValue = "month", description = "month|quarter")
          String window,
      @Option(names = "--horizon-months", defaultValue = "12") int horizon,
      @Option(names = "--out", paramLabel = "FILE.json") Path out) {
    Clock clock = Clock.systemUTC();
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    Backtest.Window w = Backtest.Window.valueOf(window.toUpperCase(Locale.ROOT));
    return withVertxPool(
        (vertx, pool) -> {
          JsonObject report =
              await(
                  new Backtest(pool)
                      .run(
                          from != null ? from : today.minusYears(2),
                          to != null ? to : today.plusDays(1),
                          w,
                          horizon,
                          clock.instant()));
          if (out != null) {
            Files.writeString(out, report.encodePrettily());
            System.err.println("wrote " + out);
          }
          System.out.println(report.encodePrettily());
          return 0;
        });
  }

  /** The rollout service without a model to serve: this command only changes the registry. */
  private static RolloutService service(Vertx vertx, Pool pool) {
    return new RolloutService(
        vertx,
        new ModelRegistryRepository(pool),
        new ServingModels(ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE)),
        Clock.systemUTC());
  }
}
