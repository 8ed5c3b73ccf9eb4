package io.scoregate.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.scoregate.audit.JournalVerifier;
import io.scoregate.model.ModelCommand;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.scoregate.webhook.WebhookListenCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jar's entry point. {@code serve} (the default) runs the gateway; the other commands run a
 * task and exit: {@code migrate}, {@code import}, {@code demo-data}, {@code journal verify}, {@code
 * tenant}, {@code key}, {@code policy}, {@code token}, {@code model
 * train|tune|predict|evaluate|psi} (files only), {@code model
 * register|list|changes|shadow|promote|retire|rollback|backtest} (the registry and the journal in
 * the configured database) and {@code webhook listen} (a local receiver).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "serve" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    int status;
    try {
      status = run(command, rest);
    } catch (IllegalArgumentException e) {
      System.err.println("scoregate: " + e.getMessage());
      status = 2;
    } catch (ValidationException e) {
      e.errors().forEach(error -> System.err.println("scoregate: " + error.message()));
      status = 2;
    }
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs a command; a negative status means "keep running" (the server). */
  static int run(String command, String[] args) {
    switch (command) {
      case "serve":
        return serve();
      case "migrate":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          int applied = Migrations.migrate(config.pg(), config.journal().partitionsAhead());
          System.out.println("schema up to date (" + applied + " migrations applied)");
          return 0;
        }
      case "import":
        return withVertxPool((vertx, pool) -> DataCommands.importFile(vertx, pool, options(args)));
      case "import-bodacc", "import-sirene":
        try {
          return FactImportCommands.run(command, options(args));
        } catch (IllegalArgumentException e) {
          throw e;
        } catch (Exception e) {
          System.err.println("scoregate: " + rootMessage(e));
          return 1;
        }
      case "demo-data":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          return withVertxPool(
              (vertx, pool) -> DataCommands.demoData(vertx, pool, config, options(args)));
        }
      case "demo-portfolio":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          return withVertxPool(
              (vertx, pool) -> DataCommands.demoPortfolio(pool, config, options(args)));
        }
      case "tenant":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          return withVertxPool(
              (vertx, pool) -> TenantCommands.tenant(pool, config, args, System.getenv()));
        }
      case "key":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          return withVertxPool((vertx, pool) -> TenantCommands.key(pool, config, args));
        }
      case "policy":
        {
          AppConfig config = ConfigLoader.load(System.getenv());
          return withVertxPool(
              (vertx, pool) -> PolicyCommands.policy(vertx, pool, config, args, System.getenv()));
        }
      case "token":
        try {
          return TokenCommand.run(args);
        } catch (IllegalArgumentException e) {
          throw e;
        } catch (Exception e) {
          System.err.println("scoregate: " + rootMessage(e));
          return 1;
        }
      case "model":
        if (args.length > 0 && ModelRegistryCommands.VERBS.contains(args[0])) {
          return withVertxPool(
              (vertx, pool) ->
                  ModelRegistryCommands.run(
                      vertx, pool, args[0], options(Arrays.copyOfRange(args, 1, args.length))));
        }
        try {
          return ModelCommand.run(args);
        } catch (IllegalArgumentException e) {
          throw e;
        } catch (Exception e) {
          System.err.println("scoregate: " + rootMessage(e));
          return 1;
        }
      case "webhook":
        if (args.length > 0 && "listen".equals(args[0])) {
          try {
            return WebhookListenCommand.listen(options(Arrays.copyOfRange(args, 1, args.length)));
          } catch (IllegalArgumentException e) {
            throw e;
          } catch (Exception e) {
            System.err.println("scoregate: " + rootMessage(e));
            return 1;
          }
        }
        throw new IllegalArgumentException("usage: webhook listen --port 9000 --secret whsec_...");
      case "journal":
        if (args.length == 1 && "verify".equals(args[0])) {
          return withPool(
              pool ->
                  new JournalVerifier(pool)
                      .verify()
                      .map(
                          report -> {
                            System.out.println(
                                "journal: "
                                    + report.rows()
                                    + " decisions in "
                                    + report.chains()
                                    + " chains, "
                                    + report.assessments()
                                    + " assessments, "
                                    + (report.intact() ? "intact" : "BROKEN"));
                            report
                                .formats()
                                .forEach(
                                    (format, n) ->
                                        System.out.println("  " + n + " rows in format " + format));
                            if (report.rulesOutsideChain() > 0) {
                              System.out.println(
                                  "  "
                                      + report.rulesOutsideChain()
                                      + " rows in format decision-by-reference/1 name a deciding"
                                      + " rule their hash does not cover");
                            }
                            report.problems().forEach(p -> System.out.println("  " + p));
                            return report.intact() ? 0 : 1;
                          }));
        }
        throw new IllegalArgumentException("usage: journal verify");
      default:
        throw new IllegalArgumentException(
            "unknown command '"
                + command
                + "'; commands: serve, migrate, import, import-bodacc, import-sirene, demo-data,"
                + " demo-portfolio, tenant, key, policy, token, journal verify, model,"
                + " webhook listen");
    }
  }

  private static int serve() {
    AppConfig config = ConfigLoader.load(System.getenv());
    if (config.pg().migrateOnStart()) {
      Migrations.migrate(config.pg(), config.journal().partitionsAhead());
    }
    Gateway gateway = new Gateway(config, Clock.systemUTC(), Ticker.systemTicker());
    CompletableFuture<Gateway> started = gateway.start().toCompletionStage().toCompletableFuture();
    try {
      started.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("scoregate could not start: {}", rootMessage(e));
      System.err.println("scoregate could not start: " + rootMessage(e));
      stop(gateway, config.http().shutdownGraceMs());
      return 1;
    }
    // SIGTERM (Kubernetes, systemd) and Ctrl-C: a graceful stop within http.shutdownGraceMs.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stop(gateway, config.http().shutdownGraceMs()), "scoregate-shutdown"));
    return -1;
  }

  private static void stop(Gateway gateway, long graceMs) {
    try {
      gateway
          .stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(graceMs + 10_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly: {}", rootMessage(e));
    }
  }

  /** A command that needs Vert.x and a pool; may block (it runs on the main thread). */
  interface PoolTask {
    int run(Vertx vertx, Pool pool) throws Exception;
  }

  static int withPool(Function<Pool, Future<Integer>> task) {
    return withVertxPool(
        (vertx, pool) -> task.apply(pool).toCompletionStage().toCompletableFuture().get());
  }

  /** Runs a task with a small pool on a throw-away Vert.x and returns its exit status. */
  static int withVertxPool(PoolTask task) {
    AppConfig config = ConfigLoader.load(System.getenv());
    Vertx vertx = Vertx.vertx();
    Pool pool = Postgres.commandPool(vertx, config.pg());
    try {
      return task.run(vertx, pool);
    } catch (IllegalArgumentException | ProblemException e) {
      throw e;
    } catch (Exception e) {
      System.err.println("scoregate: " + rootMessage(e));
      return 1;
    } finally {
      vertx.close();
    }
  }

  /** A command's wait for its one asynchronous result (commands only, never a verticle). */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  static String required(Map<String, String> o, String name) {
    String value = o.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** {@code --name value} pairs; a lone {@code --flag} maps to "true". */
  static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      out.put(args[i].substring(2), flag ? "true" : args[++i]);
    }
    return out;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
