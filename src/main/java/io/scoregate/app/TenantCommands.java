package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.withVertxPool;

import com.github.benmanes.caffeine.cache.Ticker;
import io.scoregate.edge.AdminRoutes;
import io.scoregate.edge.ApiKeyService;
import io.scoregate.edge.ApiKeys;
import io.scoregate.edge.Tenant;
import io.scoregate.edge.TenantExistsException;
import io.scoregate.edge.TenantRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tenant} and {@code key}: the operator's command line for tenants and API keys.
 *
 * <pre>
 * tenant create --id acme --name "Acme SAS" --rate 50 --burst 100 --monthly-quota 100000
 *               [--scopes scoring,admin] [--ip-allow 203.0.113.0/24,2001:db8::/32]
 *               [--platform]   the operator's own tenant: its keys administer every tenant
 * tenant show   --id acme
 * tenant bind   --id acme --issuer https://idp.example --client-id acme-erp
 *               a token of that issuer with that client id speaks for acme (and for no one else)
 * tenant unbind --id acme --issuer https://idp.example --client-id acme-erp
 * tenant issuers --id acme
 * tenant demo   the Quick start's tenant "demo": SCOREGATE_DEMO_API_KEY (else a new key),
 *               SCOREGATE_DEMO_RATE, SCOREGATE_DEMO_BURST, SCOREGATE_DEMO_MONTHLY_QUOTA
 * key issue     --tenant acme [--label erp]      prints the key, once
 * key list      --tenant acme
 * key rotate    --tenant acme --key sgk_...      prints the new key; the old one is revoked
 * key revoke    --tenant acme --key sgk_...
 * </pre>
 */
final class TenantCommands {

  private TenantCommands() {}

  @Command(name = "tenant", description = "Tenants: create, show, the demo tenant, token issuers.")
  static final class Tenants {

    @Command(name = "create", description = "Create a tenant and print it.")
    int create(
        @Option(names = "--id", required = true) String id,
        @Option(names = "--name", required = true) String name,
        @Option(names = "--rate", description = "calls per second") String rate,
        @Option(names = "--burst", description = "calls above the rate at once") String burst,
        @Option(names = "--monthly-quota", description = "calls a month") String monthlyQuota,
        @Option(names = "--scopes", paramLabel = "a,b", description = "e.g. scoring,admin")
            String scopes,
        @Option(names = "--ip-allow", paramLabel = "CIDR,...") String ipAllow,
        @Option(
                names = "--platform",
                description = "the operator's own tenant: its keys administer every tenant")
            boolean platform) {
      JsonObject json = tenantJson(id, name, rate, burst, monthlyQuota);
      if (scopes != null) {
        json.put("scopes", new JsonArray(Arrays.asList(scopes.split(","))));
      }
      if (ipAllow != null) {
        json.put("ip_allow_list", new JsonArray(Arrays.asList(ipAllow.split(","))));
      }
      // The platform role exists only here: no API call and no token can grant it.
      Tenant t = AdminRoutes.parseTenant(json).withPlatform(platform);
      return withVertxPool(
          (vertx, pool) -> {
            await(new TenantRepository(pool).create(t));
            System.out.println(AdminRoutes.json(t).encodePrettily());
            return 0;
          });
    }

    @Command(name = "show", description = "Print a tenant.")
    int show(@Option(names = "--id", required = true) String id) {
      return withVertxPool(
          (vertx, pool) -> {
            Tenant t = await(new TenantRepository(pool).tenant(id));
            if (t == null) {
              System.err.println("no tenant " + id);
              return 1;
            }
            System.out.println(AdminRoutes.json(t).encodePrettily());
            return 0;
          });
    }

    @Command(
        name = "demo",
        description = {
          "Create or update the Quick start's tenant \"demo\" and print its key:",
          "SCOREGATE_DEMO_API_KEY (else a new key), SCOREGATE_DEMO_RATE, SCOREGATE_DEMO_BURST,"
              + " SCOREGATE_DEMO_MONTHLY_QUOTA."
        })
    int demo() {
      AppConfig config = ConfigLoader.load(System.getenv());
      return withVertxPool(
          (vertx, pool) ->
              TenantCommands.demo(new TenantRepository(pool), keys(pool, config), System.getenv()));
    }

    @Command(
        name = "bind",
        description = "Let tokens of an issuer with a client id speak for the tenant.")
    int bind(
        @Option(names = "--id", required = true) String id,
        @Option(names = "--issuer", required = true) String issuer,
        @Option(names = "--client-id", required = true) String clientId) {
      AppConfig config = ConfigLoader.load(System.getenv());
      AdminRoutes.Binding b = binding(issuer, clientId, config);
      return withVertxPool(
          (vertx, pool) -> {
            TenantRepository tenants = new TenantRepository(pool);
            if (await(tenants.tenant(id)) == null) {
              System.err.println("no tenant " + id);
              return 1;
            }
            await(tenants.bindIssuer(id, b.issuer(), b.clientId()));
            System.err.println(
                "tokens of " + b.issuer() + " for client " + b.clientId() + " speak for " + id);
            return 0;
          });
    }

    @Command(name = "unbind", description = "Remove a binding made by tenant bind.")
    int unbind(
        @Option(names = "--id", required = true) String id,
        @Option(names = "--issuer", required = true) String issuer,
        @Option(names = "--client-id", required = true) String clientId) {
      AdminRoutes.Binding b = binding(issuer, clientId, null);
      return withVertxPool(
          (vertx, pool) -> {
            if (!await(new TenantRepository(pool).unbindIssuer(id, b.issuer(), b.clientId()))) {
              System.err.println("no such binding");
              return 1;
            }
            return 0;
          });
    }

    @Command(name = "issuers", description = "List the tenant's issuer bindings.")
    int issuers(@Option(names = "--id", required = true) String id) {
      return withVertxPool(
          (vertx, pool) -> {
            System.out.println(
                new JsonArray(await(new TenantRepository(pool).issuers(id))).encodePrettily());
            return 0;
          });
    }
  }

  @Command(name = "key", description = "A tenant's API keys: issue, list, rotate, revoke.")
  static final class Keys {

    @Command(name = "issue", description = "Issue a key and print it, once.")
    int issue(
        @Option(names = "--tenant", required = true) String tenant,
        @Option(names = "--label") String label) {
      return withKeys(
          (keys, pool) -> {
            if (await(new TenantRepository(pool).tenant(tenant)) == null) {
              System.err.println("no tenant " + tenant);
              return 1;
            }
            ApiKeys.NewKey key = await(keys.issue(tenant, label));
            System.err.println("key " + key.id() + " for " + tenant + " (shown once):");
            System.out.println(key.key());
            return 0;
          });
    }

    @Command(name = "list", description = "List the tenant's keys (never the keys themselves).")
    int list(@Option(names = "--tenant", required = true) String tenant) {
      return withKeys(
          (keys, pool) -> {
            System.out.println(new JsonArray(await(keys.list(tenant))).encodePrettily());
            return 0;
          });
    }

    @Command(name = "rotate", description = "Issue a new key and revoke the old one.")
    int rotate(
        @Option(names = "--tenant", required = true) String tenant,
        @Option(names = "--key", required = true) String old) {
      return withKeys(
          (keys, pool) -> {
            ApiKeys.NewKey key = await(keys.rotate(tenant, old));
            System.err.println("key " + old + " revoked; new key " + key.id() + " (shown once):");
            System.out.println(key.key());
            return 0;
          });
    }

    @Command(name = "revoke", description = "Revoke a key.")
    int revoke(
        @Option(names = "--tenant", required = true) String tenant,
        @Option(names = "--key", required = true) String key) {
      return withKeys(
          (keys, pool) -> {
            await(keys.revoke(tenant, key));
            System.err.println("key " + key + " revoked");
            return 0;
          });
    }

    /** A key command: the configured key service on a pool of its own. */
    private interface KeyTask {
      int run(ApiKeyService keys, Pool pool) throws Exception;
    }

    private static int withKeys(KeyTask task) {
      AppConfig config = ConfigLoader.load(System.getenv());
      return withVertxPool((vertx, pool) -> task.run(keys(pool, config), pool));
    }
  }

  /** Creates or updates the demo tenant and prints its key on stdout. */
  private static int demo(TenantRepository tenants, ApiKeyService keys, Map<String, String> env)
      throws Exception {
    JsonObject json =
        tenantJson(
                "demo",
                "Demo partner",
                env.getOrDefault("SCOREGATE_DEMO_RATE", "50"),
                env.getOrDefault("SCOREGATE_DEMO_BURST", "100"),
                env.getOrDefault("SCOREGATE_DEMO_MONTHLY_QUOTA", "100000"))
            .put(
                "scopes",
                new JsonArray()
                    .add("scoring")
                    .add("admin")
                    .add("portfolios")
                    .add("events:write")
                    .add("webhooks"));
    Tenant demo = AdminRoutes.parseTenant(json);
    try {
      await(tenants.create(demo));
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TenantExistsException)) {
        throw e;
      }
      await(tenants.update(demo));
    }
    String chosen = env.get("SCOREGATE_DEMO_API_KEY");
    String key;
    if (chosen != null && !chosen.isBlank()) {
      await(keys.register("demo", chosen, "demo"));
      key = chosen;
    } else {
      await(tenants.revokeAll("demo", "demo"));
      key = await(keys.issue("demo", "demo")).key();
    }
    System.err.printf(
        "demo tenant: %d calls/s, burst %d, %d calls a month%n",
        demo.ratePerSecond(), demo.burst(), demo.monthlyQuota());
    System.out.println(key);
    return 0;
  }

  /** The binding named by --issuer and --client-id; with config, the issuer must be trusted. */
  private static AdminRoutes.Binding binding(String issuer, String clientId, AppConfig config) {
    return AdminRoutes.binding(
        new JsonObject().put("issuer", issuer).put("client_id", clientId),
        config == null ? null : config.edge().jwt().trustedIssuers());
  }

  private static JsonObject tenantJson(
      String id, String name, String rate, String burst, String monthlyQuota) {
    JsonObject json = new JsonObject().put("id", id).put("name", name);
    putNumber(json, "rate_per_second", rate);
    putNumber(json, "burst", burst);
    putNumber(json, "monthly_quota", monthlyQuota);
    return json;
  }

  private static void putNumber(JsonObject json, String field, String value) {
    if (value != null) {
      try {
        json.put(field, Long.parseLong(value.trim()));
      } catch (NumberFormatException e) {
        json.put(field, value);
      }
    }
  }

  private static ApiKeyService keys(Pool pool, AppConfig config) {
    return new ApiKeyService(
        new TenantRepository(pool),
        new ApiKeys(config.edge().apiKeyPepper()),
        config.edge().keyCacheSeconds(),
        Ticker.systemTicker());
  }
}
