package io.scoregate.support;

import io.scoregate.app.AppConfig;
import io.scoregate.edge.ApiKeys;
import java.util.HexFormat;

/** Creates tenants and keys straight in the test database, as the admin command would. */
public final class TestTenants {

  private TestTenants() {}

  /** A new tenant with the given scopes (comma-separated) and limits; returns a key of it. */
  public static String create(AppConfig config, String id, String scopes, int rate, long monthly) {
    return create(config, id, scopes, rate, monthly, "{}");
  }

  public static String create(
      AppConfig config, String id, String scopes, int rate, long monthly, String allowList) {
    return create(config, id, scopes, rate, rate, monthly, allowList);
  }

  public static String create(
      AppConfig config,
      String id,
      String scopes,
      int rate,
      int burst,
      long monthly,
      String allowList) {
    ApiKeys keys = new ApiKeys(config.edge().apiKeyPepper());
    ApiKeys.NewKey key = keys.generate();
    TestPostgres.execute(
        "INSERT INTO tenants (id, name, rate_per_second, burst, monthly_quota, ip_allow_list,"
            + " scopes) VALUES ('"
            + id
            + "', 'Test "
            + id
            + "', "
            + rate
            + ", "
            + burst
            + ", "
            + monthly
            + ", '"
            + allowList
            + "', '{"
            + scopes
            + "}')",
        "INSERT INTO api_keys (id, tenant_id, secret_hash) VALUES ('"
            + key.id()
            + "', '"
            + id
            + "', '\\x"
            + HexFormat.of().formatHex(keys.hash(key.key()))
            + "')");
    return key.key();
  }

  /** A new tenant with the platform role (as {@code tenant create --platform} makes); its key. */
  public static String platform(AppConfig config, String id) {
    String key = create(config, id, "admin", 1000, 1_000_000);
    TestPostgres.execute("UPDATE tenants SET platform = true WHERE id = '" + id + "'");
    return key;
  }

  /** Lets the issuer's client id speak for the tenant. */
  public static void bind(String tenantId, String issuer, String clientId) {
    TestPostgres.execute(
        "INSERT INTO tenant_issuers (issuer, client_id, tenant_id) VALUES ('"
            + issuer
            + "', '"
            + clientId
            + "', '"
            + tenantId
            + "')");
  }
}
