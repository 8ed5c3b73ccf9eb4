package io.scoregate.app;

import io.scoregate.edge.LocalTokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code token issue}: a signed access token from the local development issuer, to try the
 * bearer-token path without an OAuth2 server.
 *
 * <pre>
 * token issue --tenant demo [--scopes scoring,admin] [--ttl-seconds 3600]
 *             [--audience scoregate] [--dir target/local-issuer]
 * </pre>
 */
final class TokenCommand {

  private TokenCommand() {}

  static int run(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("issue")) {
      throw new IllegalArgumentException("usage: token issue --tenant ID [--scopes a,b] ...");
    }
    Map<String, String> o = Main.options(java.util.Arrays.copyOfRange(args, 1, args.length));
    String tenant = o.get("tenant");
    if (tenant == null) {
      throw new IllegalArgumentException("--tenant is required");
    }
    Path dir = Path.of(o.getOrDefault("dir", "target/local-issuer")).toAbsolutePath();
    LocalTokenIssuer issuer = LocalTokenIssuer.open(dir);
    String token =
        issuer.issue(
            tenant,
            new LinkedHashSet<>(List.of(o.getOrDefault("scopes", "scoring").split(","))),
            o.getOrDefault("audience", "scoregate"),
            Duration.ofSeconds(Long.parseLong(o.getOrDefault("ttl-seconds", "3600"))),
            Instant.now());
    System.err.println(
        "token of tenant "
            + tenant
            + " from the local issuer; to trust it, start the gateway with\n"
            + "  SCOREGATE_EDGE_JWT_ISSUERS_0_ENABLED=true"
            + " SCOREGATE_EDGE_JWT_ISSUERS_0_ISSUER="
            + LocalTokenIssuer.ISSUER
            + " SCOREGATE_EDGE_JWT_ISSUERS_0_JWKS_PATH="
            + issuer.jwksPath()
            + "\nand let its client id speak for the tenant (once):\n  tenant bind --id "
            + tenant
            + " --issuer "
            + LocalTokenIssuer.ISSUER
            + " --client-id "
            + tenant);
    System.out.println(token);
    return 0;
  }
}
