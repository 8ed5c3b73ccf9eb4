package io.scoregate.app;

import ch.qos.logback.classic.LoggerContext;
import com.github.benmanes.caffeine.cache.Ticker;
import io.scoregate.audit.JournalVerifier;
import io.scoregate.model.ModelCommand;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.scoregate.webhook.WebhookListenCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The jar's entry point. {@code serve} (the default) runs the gateway; the other commands run a
 * task and exit: {@code migrate}, {@code import}, {@code import-bodacc}, {@code import-sirene},
 * {@code demo-data}, {@code demo-portfolio}, {@code journal verify}, {@code tenant}, {@code key},
 * {@code policy}, {@code token}, {@code model train|tune|compare|predict|evaluate|psi} (files
 * only), {@code model register|list|changes|shadow|promote|retire|rollback|backtest} (the registry
 * and the journal in the configured database) and {@code webhook listen} (a local receiver). Every
 * command answers {@code --help}; a bad command line exits with status 2 and a message on stderr.
 */
@Command(
    name = "scoregate",
    description = "The scoregate credit-scoring gateway and its operator's commands.",
    synopsisSubcommandLabel = "COMMAND",
    showDefaultValues = true,
    scope = ScopeType.INHERIT)
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Exit status of a command line the commands do not accept, as picocli and getopt use. */
  static final int USAGE = CommandLine.ExitCode.USAGE;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  private Main() {}

  public static void main(String[] args) {
    int status = commandLine().execute(args.length == 0 ? new String[] {"serve"} : args);
    if (status >= 0) {
      closeLogs();
      System.exit(status);
    }
  }

  /** Writes the log lines still queued (they are written in batches) before the JVM exits. */
  private static void closeLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  /**
   * Every command of the jar. A command's status is its exit status; a negative one means "keep
   * running" (the server, the webhook receiver).
   */
  static CommandLine commandLine() {
    CommandLine root = new CommandLine(new Main());
    adopt(root, new DataCommands());
    adopt(root, new FactImportCommands());
    root.addSubcommand(new CommandLine(new TenantCommands.Tenants()));
    root.addSubcommand(new CommandLine(new TenantCommands.Keys()));
    root.addSubcommand(new CommandLine(new PolicyCommands()));
    root.addSubcommand(new CommandLine(new TokenCommand()));
    CommandLine model = new CommandLine(new ModelCommand());
    adopt(model, new ModelRegistryCommands());
    root.addSubcommand(model);
    root.addSubcommand(new CommandLine(new WebhookListenCommand()));
    root.addSubcommand(new CommandLine(new Journal()));
    root.setExecutionStrategy(Main::executeLeaf);
    root.setExecutionExceptionHandler(Main::failed);
    return root;
  }

  /** Runs the command named last, which must be a leaf: a group alone is a usage error. */
  private static int executeLeaf(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (!last.isUsageHelpRequested() && !last.commandSpec().subcommands().isEmpty()) {
      throw new CommandLine.ParameterException(
          last.commandSpec().commandLine(),
          "a command is required: " + String.join(", ", last.commandSpec().subcommands().keySet()));
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** The commands declared as methods of {@code commands} become commands of {@code parent}. */
  private static void adopt(CommandLine parent, Object commands) {
    new CommandLine(commands).getSubcommands().values().forEach(parent::addSubcommand);
  }

  /**
   * A command that failed: a refused argument (status 2) or a failed task (status 1), told in one
   * line on stderr, without a stack trace.
   */
  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (e instanceof IllegalArgumentException) {
      err.println("scoregate: " + e.getMessage());
      return USAGE;
    }
    if (e instanceof ValidationException v) {
      v.errors().forEach(error -> err.println("scoregate: " + error.message()));
      return USAGE;
    }
    err.println("scoregate: " + rootMessage(e));
    return 1;
  }

  @Command(
      name = "serve",
      description = "Run the gateway (the default command) until SIGTERM or Ctrl-C.")
  int serve() {
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
            new Thread(
                () -> {
                  stop(gateway, config.http().shutdownGraceMs());
                  closeLogs();
                },
                "scoregate-shutdown"));
    return -1;
  }

  @Command(name = "migrate", description = "Apply the schema migrations and exit.")
  int migrate() {
    AppConfig config = ConfigLoader.load(System.getenv());
    int applied = Migrations.migrate(config.pg(), config.journal().partitionsAhead());
    System.out.println("schema up to date (" + applied + " migrations applied)");
    return 0;
  }

  /** {@code journal verify}: every hash chain of the decision journal, and its assessments. */
  @Command(name = "journal", description = "The decision journal.")
  static final class Journal {

    @Command(
        name = "verify",
        description = "Check every hash chain of the journal and the assessments it references.")
    int verify() {
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

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
