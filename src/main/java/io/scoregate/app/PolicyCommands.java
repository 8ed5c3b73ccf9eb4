package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.required;

import io.scoregate.policy.ExposureRepository;
import io.scoregate.policy.PolicyCompiler;
import io.scoregate.policy.PolicyRepository;
import io.scoregate.policy.PolicyService;
import io.scoregate.scoring.PlatformPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

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
final class PolicyCommands {

  private PolicyCommands() {}

  static int policy(
      Vertx vertx, Pool pool, AppConfig config, String[] args, Map<String, String> env)
      throws Exception {
    String verb = args.length == 0 ? "" : args[0];
    Map<String, String> o =
        Main.options(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    String tenant = required(o, "tenant");
    String author = o.getOrDefault("author", "cli/" + env.getOrDefault("USER", "operator"));
    PolicyCompiler compiler =
        new PolicyCompiler(config.policyRules(), Gateway.policyLimits(config.policy()));
    PolicyService policies =
        new PolicyService(
            vertx,
            new PolicyRepository(pool),
            new ExposureRepository(pool),
            compiler,
            compiler.compile(config.policy().version(), PlatformPolicy.rules(config.policy())),
            config.policyRules(),
            Clock.systemUTC());
    JsonObject out =
        switch (verb) {
          case "submit" ->
              await(
                  policies.submit(
                      tenant,
                      new JsonObject(Files.readString(Path.of(required(o, "file")))),
                      author));
          case "list" -> await(policies.list(tenant));
          case "activate" -> await(policies.activate(tenant, required(o, "version"), author));
          case "rollback" -> await(policies.rollback(tenant, author));
          default ->
              throw new IllegalArgumentException(
                  "usage: policy submit|list|activate|rollback --tenant ID ...");
        };
    System.out.println(out.encodePrettily());
    return 0;
  }
}
