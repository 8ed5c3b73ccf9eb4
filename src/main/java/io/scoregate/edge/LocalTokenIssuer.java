package io.scoregate.edge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * A local OAuth2 issuer for development and tests: an RSA key kept in a folder (PKCS#8 PEM, and its
 * public half as {@code jwks.json}), and RS256 client-credentials tokens signed with it. Point an
 * {@code edge.jwt} issuer at {@link #ISSUER} and the folder's {@code jwks.json} to trust it. Not
 * for production: anyone who can read the folder can mint tokens.
 */
public final class LocalTokenIssuer {

  public static final String ISSUER = "scoregate-local-issuer";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;
  private final String kid;
  private final Path jwks;

  private LocalTokenIssuer(PrivateKey key, String kid, Path jwks) {
    this.key = key;
    this.kid = kid;
    this.jwks = jwks;
  }

  /** The issuer whose key is in {@code dir}, made there on first use. */
  public static LocalTokenIssuer open(Path dir) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path pem = dir.resolve("issuer-key.pem");
    Path jwks = dir.resolve("jwks.json");
    if (!Files.exists(pem)) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.writeString(
          pem,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
    }
    String body =
        Files.readString(pem)
            .replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    RSAPrivateCrtKey privateKey =
        (RSAPrivateCrtKey)
            KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    String kid = "local-" + privateKey.getModulus().toString(16).substring(0, 12);
    JsonObject jwk =
        new JsonObject()
            .put("kty", "RSA")
            .put("kid", kid)
            .put("alg", "RS256")
            .put("use", "sig")
            .put("n", b64(privateKey.getModulus()))
            .put("e", b64(privateKey.getPublicExponent()));
    Files.writeString(
        jwks, new JsonObject().put("keys", new JsonArray().add(jwk)).encodePrettily());
    return new LocalTokenIssuer(privateKey, kid, jwks);
  }

  public Path jwksPath() {
    return jwks;
  }

  /** A client-credentials access token for the tenant. */
  public String issue(
      String tenantId, Set<String> scopes, String audience, Duration ttl, Instant now)
      throws GeneralSecurityException {
    JsonObject claims =
        new JsonObject()
            .put("iss", ISSUER)
            .put("sub", tenantId)
            .put("client_id", tenantId)
            .put("aud", audience)
            .put("scope", String.join(" ", scopes))
            .put("iat", now.getEpochSecond())
            .put("nbf", now.getEpochSecond())
            .put("exp", now.plus(ttl).getEpochSecond());
    return sign(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid), claims);
  }

  /** Signs any header and claims with RS256: tests use it to build tokens that must fail. */
  String sign(JsonObject header, JsonObject claims) throws GeneralSecurityException {
    String signingInput =
        B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(rs256.sign());
  }

  /** A signing input signed with any JCA algorithm of this RSA key: for tokens that must fail. */
  String signWith(String jcaAlgorithm, String signingInput) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(jcaAlgorithm);
    signature.initSign(key);
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signature.sign());
  }

  String kid() {
    return kid;
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return B64.encodeToString(bytes);
  }
}
