package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The jar's command line, parsed without running a command (no database): help for every command,
 * bad command lines refused with status 2 and one message on stderr, and the command lines that the
 * scripts and the documentation use still accepted.
 */
class MainTest {

  /** What one command line printed and answered. */
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static void leaves(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> leaves(sub, into));
  }

  /**
   * picocli runs a command method on its parent command's object: a method adopted from another
   * class must be static, or it fails at run time ("object is not an instance of declaring class")
   * although it parses.
   */
  @Test
  void everyCommandMethodRunsOnAnObjectOfItsOwnClass() {
    List<String> wrong = new ArrayList<>();
    check(Main.commandLine(), wrong);
    assertThat(wrong).isEmpty();
  }

  private static void check(CommandLine command, List<String> wrong) {
    Object user = command.getCommandSpec().userObject();
    CommandLine parent = command.getParent();
    if (user instanceof java.lang.reflect.Method method
        && !java.lang.reflect.Modifier.isStatic(method.getModifiers())
        && (parent == null
            || !method.getDeclaringClass().isInstance(parent.getCommandSpec().userObject()))) {
      wrong.add(command.getCommandName() + " (" + method + ")");
    }
    command.getSubcommands().values().forEach(sub -> check(sub, wrong));
  }

  @Test
  void everyCommandAnswersHelpOnStdout() {
    List<CommandLine> commands = new ArrayList<>();
    leaves(Main.commandLine(), commands);
    List<String> paths = new ArrayList<>();
    for (CommandLine command : commands) {
      String path = command.getCommandSpec().qualifiedName(" ");
      paths.add(path);
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.remove(0); // the jar's own name
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.status()).as(path).isZero();
      assertThat(r.out()).as(path).startsWith("Usage: " + path).contains("--help");
      assertThat(r.err()).as(path).isEmpty();
    }
    assertThat(paths)
        .contains(
            "scoregate serve",
            "scoregate migrate",
            "scoregate import",
            "scoregate import-bodacc",
            "scoregate import-sirene",
            "scoregate demo-data",
            "scoregate demo-portfolio",
            "scoregate tenant create",
            "scoregate tenant show",
            "scoregate tenant demo",
            "scoregate tenant bind",
            "scoregate tenant unbind",
            "scoregate tenant issuers",
            "scoregate key issue",
            "scoregate key list",
            "scoregate key rotate",
            "scoregate key revoke",
            "scoregate policy submit",
            "scoregate policy list",
            "scoregate policy activate",
            "scoregate policy rollback",
            "scoregate token issue",
            "scoregate model train",
            "scoregate model tune",
            "scoregate model compare",
            "scoregate model predict",
            "scoregate model evaluate",
            "scoregate model psi",
            "scoregate model register",
            "scoregate model list",
            "scoregate model changes",
            "scoregate model shadow",
            "scoregate model promote",
            "scoregate model retire",
            "scoregate model rollback",
            "scoregate model backtest",
            "scoregate webhook listen",
            "scoregate journal verify");
  }

  @Test
  void theTopLevelHelpListsTheCommands() {
    Run r = run("--help");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("serve", "migrate", "tenant", "key", "model", "journal");
  }

  @Test
  void anUnknownOptionIsAUsageErrorOnStderrWithoutAStackTrace() {
    Run r = run("key", "list", "--tenant", "acme", "--colour", "blue");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown options: '--colour', 'blue'").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMissingRequiredOptionIsAUsageError() {
    Run r = run("key", "issue", "--label", "erp");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--tenant").doesNotContain("\tat ");
  }

  @Test
  void aValueOfTheWrongTypeIsAUsageError() {
    Run r = run("demo-data", "--companies", "many");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--companies").contains("many").doesNotContain("\tat ");
  }

  @Test
  void anUnknownCommandAndAGroupWithoutItsCommandAreUsageErrors() {
    Run unknown = run("frobnicate");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");
    Run group = run("tenant");
    assertThat(group.status()).isEqualTo(2);
    assertThat(group.err())
        .contains("a command is required: ")
        .contains("create", "show", "demo", "bind");
  }

  @Test
  void anArgumentTheCommandRefusesIsAUsageError() {
    Run r = run("webhook", "listen", "--secret", "not-a-secret");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "scoregate: --secret whsec_... is required (the endpoint's"
                + " secret)"
                + System.lineSeparator());
  }

  /** The command lines of scripts/, README.md and docs/, as they are written there. */
  @Test
  void theCommandLinesOfTheScriptsAndTheDocumentationStillParse() {
    String[][] lines = {
      {"serve"},
      {"migrate"},
      {"demo-data", "--status"},
      {"demo-data", "--companies", "10000"},
      {"demo-data", "--companies", "1000000", "--dir", "/tmp/bulk"},
      {"demo-data", "--companies", "200", "--seed", "42", "--dir", "d", "--training-data", "t.csv"},
      {"demo-portfolio", "--dir", "target/demo-data"},
      {"import", "--file", "companies.csv"},
      {"import", "--file", "feed.ndjson", "--kind", "events", "--batch", "2000"},
      {
        "import-sirene",
        "--file",
        "StockUniteLegale_utf8.csv",
        "--batch",
        "2000",
        "--in-flight",
        "32"
      },
      {"import-bodacc", "--file", "annonces-commerciales.json", "--in-flight", "32"},
      {
        "tenant",
        "create",
        "--id",
        "acme",
        "--name",
        "Acme SAS",
        "--rate",
        "50",
        "--burst",
        "100",
        "--monthly-quota",
        "100000",
        "--scopes",
        "scoring",
        "--ip-allow",
        "203.0.113.0/24"
      },
      {"tenant", "create", "--id", "ops", "--name", "Operator", "--platform"},
      {"tenant", "show", "--id", "acme"},
      {"tenant", "demo"},
      {"tenant", "bind", "--id", "acme", "--issuer", "https://idp.example", "--client-id", "erp"},
      {"tenant", "unbind", "--id", "acme", "--issuer", "https://idp.example", "--client-id", "erp"},
      {"tenant", "issuers", "--id", "acme"},
      {"key", "issue", "--tenant", "acme", "--label", "erp"},
      {"key", "list", "--tenant", "acme"},
      {"key", "rotate", "--tenant", "acme", "--key", "sgk_x"},
      {"key", "revoke", "--tenant", "acme", "--key", "sgk_x"},
      {"token", "issue", "--tenant", "demo", "--scopes", "scoring"},
      {
        "token",
        "issue",
        "--tenant",
        "demo",
        "--ttl-seconds",
        "60",
        "--audience",
        "scoregate",
        "--dir",
        "target/local-issuer"
      },
      {"policy", "submit", "--tenant", "acme", "--file", "policy.json", "--author", "alice"},
      {"policy", "list", "--tenant", "acme"},
      {"policy", "activate", "--tenant", "acme", "--version", "acme-2026-12-01.1"},
      {"policy", "rollback", "--tenant", "acme", "--author", "alice"},
      {"journal", "verify"},
      {
        "model",
        "train",
        "--data",
        "train.csv",
        "--out",
        "models",
        "--version",
        "1.1.0",
        "--seed",
        "42",
        "--folds",
        "5",
        "--rounds",
        "200",
        "--eta",
        "0.1",
        "--depth",
        "4",
        "--subsample",
        "0.8",
        "--colsample",
        "0.8",
        "--monotone",
        "false",
        "--population",
        "scored.csv"
      },
      {"model", "tune", "--data", "train.csv", "--seed", "42", "--folds", "5"},
      {"model", "compare", "--data", "train.csv"},
      {"model", "predict", "--data", "in.csv", "--out", "pred.csv", "--model", "a.json"},
      {"model", "evaluate", "--data", "labelled.csv"},
      {"model", "psi", "--data", "scored.csv", "--model", "a.json"},
      {"model", "register", "--artifact", "a.json", "--report", "r.json"},
      {"model", "list"},
      {"model", "changes"},
      {"model", "rollback", "--reason", "drift"},
      {"model", "shadow", "--version", "1.2.0"},
      {"model", "promote", "--version", "1.2.0", "--reason", "better"},
      {"model", "retire", "--version", "1.0.0"},
      {
        "model",
        "backtest",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-01",
        "--window",
        "quarter",
        "--horizon-months",
        "12",
        "--out",
        "b.json"
      },
      {"webhook", "listen", "--port", "9000", "--secret", "whsec_abc"},
    };
    for (String[] line : lines) {
      CommandLine cli = Main.commandLine();
      CommandLine.ParseResult parsed = cli.parseArgs(line);
      while (parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      assertThat(parsed.commandSpec().subcommands()).as(String.join(" ", line)).isEmpty();
      assertThat(parsed.unmatched()).as(String.join(" ", line)).isEmpty();
    }
  }
}
