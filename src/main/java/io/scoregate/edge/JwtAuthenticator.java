package io.scoregate.edge;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies OAuth2 client-credentials access tokens (JWS compact form) from the configured issuers,
 * with the checks of RFC 8725. Before any key is used: the algorithm must be on the allow-list
 * (RS256, ES256), so {@code alg=none} or an HS256 token "signed" with a public key fail; a {@code
 * crit} header (an extension we would have to understand) fails; {@code jku}, {@code x5u}, {@code
 * jwk} and {@code x5c} headers are never followed. vertx-auth-jwt then verifies the signature with
 * the issuer's key of that id and algorithm (an algorithm never reinterprets a key of another
 * type), the exact issuer and the audience. {@code exp} (required) and {@code nbf} are checked here
 * with a small leeway against the injected clock: the library reads the system clock and lets a
 * token without {@code exp} live forever. Keys come from each issuer's JWKS (file or URL, with a
 * timeout, the HTTP status checked, failures logged), reloaded at most so often when a token names
 * a key id not seen yet.
 */
public final class JwtAuthenticator {

  /** One trusted issuer. */
  public record Issuer(
      String issuer, String audience, String jwksPath, String jwksUrl, String tenantClaim) {}

  /** How the issuers' keys are loaded. */
  public record JwksSettings(long refreshMinSeconds, long timeoutMs, int maxBytes) {}

  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final int MAX_TOKEN_CHARS = 8192;

  /** An issuer's verifier over its current keys, and the ids of those keys. */
  private record Keys(JWTAuth verifier, Set<String> kids, boolean anyWithoutId) {
    boolean knows(String kid) {
      return kid == null ? anyWithoutId || !kids.isEmpty() : kids.contains(kid);
    }
  }

  private record Binding(String issuer, String clientId) {}

  private final Vertx vertx;
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();
  private final Set<String> algorithms;
  private final long leewaySeconds;
  private final JwksSettings jwks;
  private final Clock clock;
  private final AsyncLoadingCache<Binding, Optional<Tenant>> tenants;
  private HttpClient http;
  private final Map<String, Keys> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> lastLoad = new ConcurrentHashMap<>();

  public JwtAuthenticator(
      Vertx vertx,
      List<Issuer> issuers,
      List<String> algorithms,
      long leewaySeconds,
      JwksSettings jwks,
      Clock clock,
      Ticker ticker,
      long tenantCacheSeconds,
      BiFunction<String, String, Future<Tenant>> tenants) {
    this.vertx = vertx;
    issuers.forEach(i -> this.issuers.put(i.issuer(), i));
    this.algorithms = Set.copyOf(algorithms);
    this.leewaySeconds = leewaySeconds;
    this.jwks = jwks;
    this.clock = clock;
    // The tenant a client id of an issuer is bound to, looked up per token: cached like API keys,
    // for the same few seconds, so that an unbinding reaches every instance within that time.
    this.tenants =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(tenantCacheSeconds))
            .ticker(ticker)
            .executor(Runnable::run)
            .buildAsync(
                (binding, executor) ->
                    tenants
                        .apply(binding.issuer(), binding.clientId())
                        .map(Optional::ofNullable)
                        .toCompletionStage()
                        .toCompletableFuture());
  }

  public boolean enabled() {
    return !issuers.isEmpty();
  }

  /** The caller behind a bearer token; fails with {@link InvalidTokenException}. */
  public Future<Caller> authenticate(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return reject("token too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      return reject("malformed token");
    }
    JsonObject header;
    JsonObject unverified;
    try {
      header = new JsonObject(Buffer.buffer(B64.decode(parts[0])));
      unverified = new JsonObject(Buffer.buffer(B64.decode(parts[1])));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return reject("malformed token");
    }
    String alg = header.getValue("alg") instanceof String a ? a : null;
    if (alg == null || !algorithms.contains(alg)) {
      return reject("algorithm not allowed");
    }
    if (header.containsKey("crit")) {
      return reject("critical header extension not understood");
    }
    // Only to choose the issuer's keys: the library checks the issuer again once it is verified.
    Issuer issuer = unverified.getValue("iss") instanceof String iss ? issuers.get(iss) : null;
    if (issuer == null) {
      return reject("untrusted issuer");
    }
    Object rawKid = header.getValue("kid");
    if (rawKid != null && !(rawKid instanceof String)) {
      return reject("malformed key id");
    }
    String kid = (String) rawKid;
    return keys(issuer, kid)
        .compose(
            known -> {
              if (known == null || !known.knows(kid)) {
                return reject("unknown key");
              }
              return known
                  .verifier()
                  .authenticate(new TokenCredentials(token))
                  .recover(e -> reject("signature, issuer or audience: " + e.getMessage()));
            })
        .compose(
            user -> {
              // The verified claims as the token has them (the principal lacks exp, nbf, iat).
              JsonObject claims = user.attributes().getJsonObject("accessToken");
              String problem = checkTimes(claims);
              if (problem != null) {
                return reject(problem);
              }
              String clientId = clientId(claims, issuer);
              if (clientId == null) {
                return reject("no tenant claim");
              }
              Set<String> scopes = scopes(claims);
              return Future.fromCompletionStage(
                      tenants.get(new Binding(issuer.issuer(), clientId)), Vertx.currentContext())
                  .compose(
                      found ->
                          found.isEmpty() || found.get().disabled()
                              ? reject("client id not bound to a tenant")
                              : Future.succeededFuture(
                                  Caller.byToken(
                                      found.get(),
                                      "jwt:" + issuer.issuer() + "/" + clientId,
                                      scopes)));
            });
  }

  /** {@code exp} required, {@code nbf} if present, both with the leeway, on the injected clock. */
  private String checkTimes(JsonObject claims) {
    long now = clock.millis() / 1000;
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return "no expiry";
    }
    if (now > exp.longValue() + leewaySeconds) {
      return "expired";
    }
    if (claims.containsKey("nbf") && !(claims.getValue("nbf") instanceof Number)) {
      return "malformed nbf";
    }
    if (claims.getValue("nbf") instanceof Number nbf && now + leewaySeconds < nbf.longValue()) {
      return "not yet valid";
    }
    return null;
  }

  private static String clientId(JsonObject claims, Issuer issuer) {
    for (String claim : new String[] {issuer.tenantClaim(), "azp", "sub"}) {
      if (claim != null && claims.getValue(claim) instanceof String value && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static Set<String> scopes(JsonObject claims) {
    Set<String> scopes = new LinkedHashSet<>();
    if (claims.getValue("scope") instanceof String s) {
      for (String scope : s.trim().split("\\s+")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    } else if (claims.getValue("scp") instanceof JsonArray array) {
      array.forEach(v -> scopes.add(String.valueOf(v)));
    }
    return Set.copyOf(scopes);
  }

  /** The issuer's keys, reloaded (at most so often) when they do not know this key id. */
  private Future<Keys> keys(Issuer issuer, String kid) {
    Keys known = keys.get(issuer.issuer());
    if (known != null && known.knows(kid)) {
      return Future.succeededFuture(known);
    }
    long now = clock.millis();
    Long last = lastLoad.get(issuer.issuer());
    if (last != null && now - last < jwks.refreshMinSeconds() * 1000) {
      return Future.succeededFuture(known);
    }
    lastLoad.put(issuer.issuer(), now);
    return loadJwks(issuer)
        .map(
            loaded -> {
              Keys fresh = verifier(issuer, loaded);
              keys.put(issuer.issuer(), fresh);
              return fresh;
            })
        .recover(
            e -> {
              // The keys already loaded stay in use; the next reload waits for the same interval.
              LOG.warn(
                  "JWKS of issuer {} not loaded: {}: {}",
                  issuer.issuer(),
                  e.getClass().getSimpleName(),
                  e.getMessage());
              return Future.succeededFuture(known);
            });
  }

  private Future<JsonObject> loadJwks(Issuer issuer) {
    Future<Buffer> raw;
    if (issuer.jwksPath() != null && !issuer.jwksPath().isBlank()) {
      raw = vertx.fileSystem().readFile(issuer.jwksPath());
    } else {
      if (http == null) {
        http = vertx.createHttpClient();
      }
      raw =
          http.request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setAbsoluteURI(issuer.jwksUrl())
                      .setConnectTimeout(jwks.timeoutMs())
                      .setIdleTimeout(jwks.timeoutMs())
                      .setFollowRedirects(false))
              .compose(request -> request.send())
              .compose(
                  response ->
                      response.statusCode() == 200
                          ? response.body()
                          : Future.failedFuture(
                              new IllegalStateException("HTTP status " + response.statusCode())));
    }
    return raw.timeout(jwks.timeoutMs(), TimeUnit.MILLISECONDS)
        .map(
            buffer -> {
              if (buffer.length() > jwks.maxBytes()) {
                throw new IllegalStateException(
                    "JWKS of " + buffer.length() + " bytes, more than " + jwks.maxBytes());
              }
              return new JsonObject(buffer);
            });
  }

  /**
   * A verifier over the JWKS's signing keys this service accepts: RSA, and EC on P-256, each with
   * an algorithm on the allow-list (its own {@code alg}, else RS256 or ES256). Other keys are
   * skipped and logged; tokens naming them are refused.
   */
  private Keys verifier(Issuer issuer, JsonObject jwks) {
    List<JsonObject> usable = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    boolean anyWithoutId = false;
    JsonArray list = jwks.getValue("keys") instanceof JsonArray a ? a : new JsonArray();
    for (Object entry : list) {
      if (!(entry instanceof JsonObject jwk)) {
        continue;
      }
      String skipped = unusable(jwk);
      if (skipped == null) {
        try {
          new JWK(jwk); // the library's own reading of it: a key it cannot read is skipped here
        } catch (Exception e) {
          skipped = e.getClass().getSimpleName();
        }
      }
      if (skipped != null) {
        LOG.info(
            "JWKS of issuer {}: key {} skipped ({})",
            issuer.issuer(),
            jwk.getValue("kid"),
            skipped);
        continue;
      }
      usable.add(jwk);
      if (jwk.getValue("kid") instanceof String kid) {
        kids.add(kid);
      } else {
        anyWithoutId = true;
      }
    }
    JWTAuth verifier =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .setJwks(usable)
                .setJWTOptions(
                    new JWTOptions()
                        .setIssuer(issuer.issuer())
                        .setAudience(List.of(issuer.audience()))
                        // exp and nbf are checked against the injected clock, above
                        .setIgnoreExpiration(true)));
    return new Keys(verifier, Set.copyOf(kids), anyWithoutId);
  }

  /** Why this JWK cannot verify our tokens, or null if it may. */
  private String unusable(JsonObject jwk) {
    Object use = jwk.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return "not a signing key";
    }
    String kty = jwk.getValue("kty") instanceof String k ? k : "";
    String alg =
        switch (kty) {
          case "RSA" -> jwk.getString("alg", "RS256");
          case "EC" -> "P-256".equals(jwk.getValue("crv")) ? jwk.getString("alg", "ES256") : null;
          default -> null;
        };
    if (alg == null) {
      return "key type or curve not supported";
    }
    if (!algorithms.contains(alg) || (kty.equals("EC") != alg.equals("ES256"))) {
      return "algorithm " + alg + " not allowed for this key";
    }
    return null;
  }

  private static <T> Future<T> reject(String why) {
    return Future.failedFuture(new InvalidTokenException(why));
  }
}
