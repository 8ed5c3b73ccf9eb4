package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.withVertxPool;

import io.scoregate.policy.ExposureRepository;
import io.scoregate.policy.PolicyCompiler;
import io.scoregate.policy.PolicyRepository;
import io.scoregate.policy.PolicyService;
import io.scoregate.scoring.PlatformPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code policy}: the operator's command line for tenants' decision policies, the same checks and
 * history as the admin API. Running gateways follow an activation within policyRules.refreshMs.
 *
 * <pre>
 * policy submit   --tenant acme --file policy.json [--author alice]   prints the new version
 * policy list     --tenant acme
 * policy activate --tenant acme --version acme-2026-12-01.1 [--author alice]
 * policy rollback --tenant acme [--author alice]
 * </pre>
 */
@Command(
    name = "policy",
    description = "Tenants' decision policies: submit, list, activate, roll back.")
final class PolicyCommands {

  @Command(name = "submit", description = "Submit a policy version and print it.")
  int submit(
      @Option(names = "--tenant", required = true) String tenant,
      @Option(names = "--file", required = true, paramLabel = "FILE") Path file,
      @Option(names = "--author", description = "default: cli/$USER") String author) {
    return run(
        policies -> policies.submit(tenant, new JsonObject(Files.readString(file)), by(author)));
  }

  @Command(name = "list", description = "List the tenant's policy versions.")
  int list(@Option(names = "--tenant", required = true) String tenant) {
    return run(policies -> policies.list(tenant));
  }

  @Command(name = "activate", description = "Activate a policy version.")
  int activate(
      @Option(names = "--tenant", required = true) String tenant,
      @Option(names = "--version", required = true) String version,
      @Option(names = "--author", description = "default: cli/$USER") String author) {
    return run(policies -> policies.activate(tenant, version, by(author)));
  }

  @Command(name = "rollback", description = "Activate the version active before the current one.")
  int rollback(
      @Option(names = "--tenant", required = true) String tenant,
      @Option(names = "--author", description = "default: cli/$USER") String author) {
    return run(policies -> policies.rollback(tenant, by(author)));
  }

  /** One call to the policy service, its answer printed. */
  private interface PolicyCall {
    Future<JsonObject> call(PolicyService policies) throws Exception;
  }

  private static String by(String author) {
    return author != null ? author : "cli/" + System.getenv().getOrDefault("USER", "operator");
  }

  private static int run(PolicyCall call) {
    AppConfig config = ConfigLoader.load(System.getenv());
    return withVertxPool(
        (vertx, pool) -> {
          PolicyCompiler compiler =
              new PolicyCompiler(config.policyRules(), Gateway.policyLimits(config.policy()));
          PolicyService policies =
              new PolicyService(
                  vertx,
                  new PolicyRepository(pool),
                  new ExposureRepository(pool),
                  compiler,
                  compiler.compile(
                      config.policy().version(), PlatformPolicy.rules(config.policy())),
                  config.policyRules(),
                  Clock.systemUTC());
          JsonObject out = await(call.call(policies));
          System.out.println(out.encodePrettily());
          return 0;
        });
  }
}
