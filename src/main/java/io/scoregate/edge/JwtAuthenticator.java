package io.scoregate.edge;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Verifies OAuth2 client-credentials access tokens (JWS compact form) from the configured issuers,
 * with the checks of RFC 8725: the algorithm must be on the allow-list (RS256, ES256) and match the
 * key's type, so {@code alg=none} or an HS256 token "signed" with a public key fail before any key
 * is used; the issuer must be trusted and the audience ours; {@code exp} is required and, like
 * {@code nbf}, checked with a small leeway. Keys come from each issuer's JWKS (file or URL),
 * cached, and reloaded when a token names a key id not seen yet.
 */
public final class JwtAuthenticator {

  /** One trusted issuer. */
  public record Issuer(
      String issuer, String audience, String jwksPath, String jwksUrl, String tenantClaim) {}

  private static final Base64.Decoder B64 = Base64.getUrlDecoder();

  private final Vertx vertx;
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();
  private final Set<String> algorithms;
  private final long leewaySeconds;
  private final long refreshMinMs;
  private final Clock clock;
  private final AsyncLoadingCache<Binding, Optional<Tenant>> tenants;

  private record Binding(String issuer, String clientId) {}

  private io.vertx.core.http.HttpClient http;
  private final Map<String, Map<String, PublicKey>> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> lastLoad = new ConcurrentHashMap<>();

  public JwtAuthenticator(
      Vertx vertx,
      List<Issuer> issuers,
      List<String> algorithms,
      long leewaySeconds,
      long refreshMinSeconds,
      Clock clock,
      Ticker ticker,
      long tenantCacheSeconds,
      BiFunction<String, String, Future<Tenant>> tenants) {
    this.vertx = vertx;
    issuers.forEach(i -> this.issuers.put(i.issuer(), i));
    this.algorithms = Set.copyOf(algorithms);
    this.leewaySeconds = leewaySeconds;
    this.refreshMinMs = refreshMinSeconds * 1000;
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
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || token.length() > 8192) {
      return reject("malformed token");
    }
    JsonObject header;
    JsonObject claims;
    try {
      header = new JsonObject(Buffer.buffer(B64.decode(parts[0])));
      claims = new JsonObject(Buffer.buffer(B64.decode(parts[1])));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return reject("malformed token");
    }
    String alg = header.getString("alg");
    if (alg == null || !algorithms.contains(alg)) {
      return reject("algorithm not allowed");
    }
    Issuer issuer = claims.getValue("iss") instanceof String iss ? issuers.get(iss) : null;
    if (issuer == null) {
      return reject("untrusted issuer");
    }
    String kid = header.getString("kid");
    return key(issuer, kid)
        .compose(
            key -> {
              if (key == null) {
                return reject("unknown key");
              }
              if (!verify(alg, key, parts)) {
                return reject("bad signature");
              }
              String problem = checkClaims(claims, issuer);
              if (problem != null) {
                return reject(problem);
              }
              String clientId = tenantOf(claims, issuer);
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

  private String checkClaims(JsonObject claims, Issuer issuer) {
    long now = clock.millis() / 1000;
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return "no expiry";
    }
    if (now > exp.longValue() + leewaySeconds) {
      return "expired";
    }
    if (claims.getValue("nbf") instanceof Number nbf && now + leewaySeconds < nbf.longValue()) {
      return "not yet valid";
    }
    Object aud = claims.getValue("aud");
    boolean audienceOk =
        aud instanceof String a
            ? a.equals(issuer.audience())
            : aud instanceof JsonArray list && list.contains(issuer.audience());
    return audienceOk ? null : "wrong audience";
  }

  private static String tenantOf(JsonObject claims, Issuer issuer) {
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

  private static boolean verify(String alg, PublicKey key, String[] parts) {
    try {
      Signature signature;
      if (alg.equals("RS256") && key instanceof RSAPublicKey) {
        signature = Signature.getInstance("SHA256withRSA");
      } else if (alg.equals("ES256")
          && key instanceof ECPublicKey ec
          && ec.getParams().getCurve().getField().getFieldSize() == 256) {
        signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      } else {
        return false; // the algorithm does not match the key: never reinterpret a key
      }
      signature.initVerify(key);
      signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return signature.verify(B64.decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The issuer's key with this id, reloading the JWKS (at most so often) when it is unknown. */
  private Future<PublicKey> key(Issuer issuer, String kid) {
    Map<String, PublicKey> known = keys.get(issuer.issuer());
    if (known != null && known.containsKey(kid == null ? "" : kid)) {
      return Future.succeededFuture(known.get(kid == null ? "" : kid));
    }
    long now = clock.millis();
    Long last = lastLoad.get(issuer.issuer());
    if (last != null && now - last < refreshMinMs) {
      return Future.succeededFuture(null);
    }
    lastLoad.put(issuer.issuer(), now);
    return loadJwks(issuer)
        .map(
            loaded -> {
              keys.put(issuer.issuer(), loaded);
              return loaded.get(kid == null ? "" : kid);
            })
        .otherwise(e -> null);
  }

  private Future<Map<String, PublicKey>> loadJwks(Issuer issuer) {
    Future<Buffer> raw;
    if (issuer.jwksPath() != null && !issuer.jwksPath().isBlank()) {
      raw = vertx.fileSystem().readFile(issuer.jwksPath());
    } else {
      if (http == null) {
        http = vertx.createHttpClient();
      }
      raw =
          http.request(
                  new io.vertx.core.http.RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setAbsoluteURI(issuer.jwksUrl()))
              .compose(request -> request.send())
              .compose(response -> response.body());
    }
    return raw.map(buffer -> parseJwks(new JsonObject(buffer)));
  }

  /** RSA and P-256 keys of a JWKS, by key id ("" for a key without one). */
  static Map<String, PublicKey> parseJwks(JsonObject jwks) {
    Map<String, PublicKey> out = new ConcurrentHashMap<>();
    JsonArray list = jwks.getJsonArray("keys", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject jwk = list.getJsonObject(i);
      try {
        PublicKey key =
            switch (jwk.getString("kty", "")) {
              case "RSA" ->
                  KeyFactory.getInstance("RSA")
                      .generatePublic(
                          new RSAPublicKeySpec(
                              unsigned(jwk.getString("n")), unsigned(jwk.getString("e"))));
              case "EC" -> {
                if (!"P-256".equals(jwk.getString("crv"))) {
                  yield null;
                }
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                yield KeyFactory.getInstance("EC")
                    .generatePublic(
                        new ECPublicKeySpec(
                            new ECPoint(unsigned(jwk.getString("x")), unsigned(jwk.getString("y"))),
                            spec));
              }
              default -> null;
            };
        if (key != null) {
          out.put(jwk.getString("kid", ""), key);
        }
      } catch (GeneralSecurityException | RuntimeException e) {
        // A key we cannot read is skipped; tokens naming it are refused.
      }
    }
    return out;
  }

  private static BigInteger unsigned(String b64) {
    return new BigInteger(1, B64.decode(b64));
  }

  private static <T> Future<T> reject(String why) {
    return Future.failedFuture(new InvalidTokenException(why));
  }
}
