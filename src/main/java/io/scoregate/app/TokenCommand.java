package io.scoregate.app;

import io.scoregate.edge.LocalTokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token issue}: a signed access token from the local development issuer, to try the
 * bearer-token path without an OAuth2 server.
 *
 * <pre>
 * token issue --tenant demo [--scopes scoring,admin] [--ttl-seconds 3600]
 *             [--audience scoregate] [--dir target/local-issuer]
 * </pre>
 */
@Command(name = "token", description = "Access tokens of the local development issuer.")
final class TokenCommand {

  @Command(name = "issue", description = "Print a signed access token of the local issuer.")
  int issue(
      @Option(names = "--tenant", required = true) String tenant,
      @Option(names = "--scopes", defaultValue = "scoring", paramLabel = "a,b") String scopes,
      @Option(names = "--ttl-seconds", defaultValue = "3600") long ttlSeconds,
      @Option(names = "--audience", defaultValue = "scoregate") String audience,
      @Option(names = "--dir", defaultValue = "target/local-issuer") Path directory)
      throws Exception {
    Path dir = directory.toAbsolutePath();
    LocalTokenIssuer issuer = LocalTokenIssuer.open(dir);
    String token =
        issuer.issue(
            tenant,
            new LinkedHashSet<>(List.of(scopes.split(","))),
            audience,
            Duration.ofSeconds(ttlSeconds),
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
