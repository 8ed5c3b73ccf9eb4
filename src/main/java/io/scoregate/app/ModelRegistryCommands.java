package io.scoregate.app;

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
import java.util.Map;
import java.util.Set;

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
final class ModelRegistryCommands {

  static final Set<String> VERBS =
      Set.of("register", "list", "changes", "shadow", "promote", "retire", "rollback", "backtest");

  private ModelRegistryCommands() {}

  static int run(Vertx vertx, Pool pool, String verb, Map<String, String> o) throws Exception {
    ModelRegistryRepository registry = new ModelRegistryRepository(pool);
    Clock clock = Clock.systemUTC();
    String actor = "cli:" + System.getProperty("user.name", "operator");
    String reason = o.getOrDefault("reason", "command line");
    switch (verb) {
      case "register":
        {
          String artifact = Files.readString(Path.of(Main.required(o, "artifact")));
          JsonObject report =
              o.containsKey("report")
                  ? new JsonObject(Files.readString(Path.of(o.get("report"))))
                  : null;
          boolean added =
              Main.await(RolloutService.register(vertx, registry, clock, artifact, report, actor));
          System.out.println(added ? "registered as a candidate" : "already registered");
          return 0;
        }
      case "list":
        for (RegisteredModel m : Main.await(registry.list())) {
          System.out.printf(
              Locale.ROOT,
              "%-20s %-10s registered %s  AUC %s%n",
              m.version(),
              m.status().wire(),
              m.registeredAt(),
              m.metrics().getValue("auc_mean"));
        }
        return 0;
      case "changes":
        for (ModelRegistryRepository.Change c : Main.await(registry.changes(100))) {
          System.out.println(c.json().encode());
        }
        return 0;
      case "rollback":
        {
          RolloutService rollout = service(vertx, registry, clock);
          System.out.println("champion: " + Main.await(rollout.rollback(actor, reason)));
          return 0;
        }
      case "shadow":
      case "promote":
      case "retire":
        {
          RolloutService rollout = service(vertx, registry, clock);
          String version = Main.required(o, "version");
          Main.await(
              switch (verb) {
                case "shadow" -> rollout.shadow(version, actor, reason);
                case "promote" -> rollout.promote(version, actor, reason);
                default -> rollout.retire(version, actor, reason);
              });
          System.out.println(version + ": " + verb + " done");
          return 0;
        }
      case "backtest":
        return backtest(pool, clock, o);
      default:
        throw new IllegalArgumentException("unknown model command " + verb);
    }
  }

  private static int backtest(Pool pool, Clock clock, Map<String, String> o) throws Exception {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = LocalDate.parse(o.getOrDefault("from", today.minusYears(2).toString()));
    LocalDate to = LocalDate.parse(o.getOrDefault("to", today.plusDays(1).toString()));
    Backtest.Window window =
        Backtest.Window.valueOf(o.getOrDefault("window", "month").toUpperCase(Locale.ROOT));
    int horizon = Integer.parseInt(o.getOrDefault("horizon-months", "12"));
    JsonObject report =
        Main.await(new Backtest(pool).run(from, to, window, horizon, clock.instant()));
    if (o.containsKey("out")) {
      Files.writeString(Path.of(o.get("out")), report.encodePrettily());
      System.err.println("wrote " + o.get("out"));
    }
    System.out.println(report.encodePrettily());
    return 0;
  }

  /** The rollout service without a model to serve: this command only changes the registry. */
  private static RolloutService service(
      Vertx vertx, ModelRegistryRepository registry, Clock clock) {
    return new RolloutService(
        vertx,
        registry,
        new ServingModels(ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE)),
        clock);
  }
}
