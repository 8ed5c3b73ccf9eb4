package io.scoregate.app;

import static io.scoregate.app.Main.await;
import static io.scoregate.app.Main.required;

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

  static int tenant(Pool pool, AppConfig config, String[] args, Map<String, String> env)
      throws Exception {
    String verb = args.length == 0 ? "" : args[0];
    Map<String, String> o =
        Main.options(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    TenantRepository tenants = new TenantRepository(pool);
    switch (verb) {
      case "create":
        {
          Tenant t = AdminRoutes.parseTenant(tenantJson(o.get("id"), o.get("name"), o));
          // The platform role exists only here: no API call and no token can grant it.
          t = t.withPlatform(o.containsKey("platform"));
          await(tenants.create(t));
          System.out.println(AdminRoutes.json(t).encodePrettily());
          return 0;
        }
      case "show":
        {
          Tenant t = await(tenants.tenant(required(o, "id")));
          if (t == null) {
            System.err.println("no tenant " + o.get("id"));
            return 1;
          }
          System.out.println(AdminRoutes.json(t).encodePrettily());
          return 0;
        }
      case "demo":
        return demo(tenants, keys(pool, config), env);
      case "bind":
        {
          AdminRoutes.Binding b = binding(o, config);
          if (await(tenants.tenant(required(o, "id"))) == null) {
            System.err.println("no tenant " + o.get("id"));
            return 1;
          }
          await(tenants.bindIssuer(o.get("id"), b.issuer(), b.clientId()));
          System.err.println(
              "tokens of "
                  + b.issuer()
                  + " for client "
                  + b.clientId()
                  + " speak for "
                  + o.get("id"));
          return 0;
        }
      case "unbind":
        {
          AdminRoutes.Binding b = binding(o, null);
          if (!await(tenants.unbindIssuer(required(o, "id"), b.issuer(), b.clientId()))) {
            System.err.println("no such binding");
            return 1;
          }
          return 0;
        }
      case "issuers":
        System.out.println(
            new JsonArray(await(tenants.issuers(required(o, "id")))).encodePrettily());
        return 0;
      default:
        throw new IllegalArgumentException(
            "usage: tenant create|show|demo|bind|unbind|issuers ...");
    }
  }

  static int key(Pool pool, AppConfig config, String[] args) throws Exception {
    String verb = args.length == 0 ? "" : args[0];
    Map<String, String> o =
        Main.options(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    ApiKeyService keys = keys(pool, config);
    String tenant = required(o, "tenant");
    switch (verb) {
      case "issue":
        {
          if (await(new TenantRepository(pool).tenant(tenant)) == null) {
            System.err.println("no tenant " + tenant);
            return 1;
          }
          ApiKeys.NewKey key = await(keys.issue(tenant, o.get("label")));
          System.err.println("key " + key.id() + " for " + tenant + " (shown once):");
          System.out.println(key.key());
          return 0;
        }
      case "list":
        System.out.println(new JsonArray(await(keys.list(tenant))).encodePrettily());
        return 0;
      case "rotate":
        {
          ApiKeys.NewKey key = await(keys.rotate(tenant, required(o, "key")));
          System.err.println(
              "key " + o.get("key") + " revoked; new key " + key.id() + " (shown once):");
          System.out.println(key.key());
          return 0;
        }
      case "revoke":
        await(keys.revoke(tenant, required(o, "key")));
        System.err.println("key " + o.get("key") + " revoked");
        return 0;
      default:
        throw new IllegalArgumentException("usage: key issue|list|rotate|revoke --tenant ID ...");
    }
  }

  /** Creates or updates the demo tenant and prints its key on stdout. */
  private static int demo(TenantRepository tenants, ApiKeyService keys, Map<String, String> env)
      throws Exception {
    JsonObject json =
        tenantJson(
                "demo",
                "Demo partner",
                Map.of(
                    "rate", env.getOrDefault("SCOREGATE_DEMO_RATE", "50"),
                    "burst", env.getOrDefault("SCOREGATE_DEMO_BURST", "100"),
                    "monthly-quota", env.getOrDefault("SCOREGATE_DEMO_MONTHLY_QUOTA", "100000")))
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
  private static AdminRoutes.Binding binding(Map<String, String> o, AppConfig config) {
    return AdminRoutes.binding(
        new JsonObject().put("issuer", o.get("issuer")).put("client_id", o.get("client-id")),
        config == null ? null : config.edge().jwt().trustedIssuers());
  }

  private static JsonObject tenantJson(String id, String name, Map<String, String> o) {
    JsonObject json = new JsonObject().put("id", id).put("name", name);
    putNumber(json, "rate_per_second", o.get("rate"));
    putNumber(json, "burst", o.get("burst"));
    putNumber(json, "monthly_quota", o.get("monthly-quota"));
    if (o.get("scopes") != null) {
      json.put("scopes", new JsonArray(Arrays.asList(o.get("scopes").split(","))));
    }
    if (o.get("ip-allow") != null) {
      json.put("ip_allow_list", new JsonArray(Arrays.asList(o.get("ip-allow").split(","))));
    }
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
