package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth2 bearer tokens: the good ones pass, and every attack RFC 8725 lists fails. */
class JwtIT {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));

  @TempDir static Path dir;
  private static TestGateway gateway;
  private static LocalTokenIssuer issuer;
  private static String tenant;
  private static String siren;
  private static KeyPair ec;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Token Test SAS");
    issuer = LocalTokenIssuer.open(dir);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = generator.generateKeyPair();
    addEcKey();
    gateway =
        TestGateway.start(
            CLOCK,
            Map.of(
                "SCOREGATE_EDGE_JWT_ISSUERS_0_ENABLED", "true",
                "SCOREGATE_EDGE_JWT_ISSUERS_0_ISSUER", LocalTokenIssuer.ISSUER,
                "SCOREGATE_EDGE_JWT_ISSUERS_0_AUDIENCE", "scoregate",
                "SCOREGATE_EDGE_JWT_ISSUERS_0_JWKS_PATH", issuer.jwksPath().toString(),
                "SCOREGATE_EDGE_JWT_JWKS_REFRESH_MIN_SECONDS", "1"));
    tenant = "jwt" + System.nanoTime();
    TestTenants.create(gateway.config(), tenant, "scoring,admin", 1000, 100_000);
    TestTenants.bind(tenant, LocalTokenIssuer.ISSUER, tenant);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static void addEcKey() throws Exception {
    JsonObject jwks = new JsonObject(Files.readString(issuer.jwksPath()));
    ECPublicKey pub = (ECPublicKey) ec.getPublic();
    jwks.getJsonArray("keys")
        .add(
            new JsonObject()
                .put("kty", "EC")
                .put("crv", "P-256")
                .put("kid", "ec-1")
                .put("x", B64.encodeToString(fixed(pub.getW().getAffineX().toByteArray())))
                .put("y", B64.encodeToString(fixed(pub.getW().getAffineY().toByteArray()))));
    Files.writeString(issuer.jwksPath(), jwks.encode());
  }

  private static byte[] fixed(byte[] b) {
    byte[] out = new byte[32];
    System.arraycopy(
        b, Math.max(0, b.length - 32), out, Math.max(0, 32 - b.length), Math.min(32, b.length));
    return out;
  }

  private static JsonObject claims() {
    long now = CLOCK.instant().getEpochSecond();
    return new JsonObject()
        .put("iss", LocalTokenIssuer.ISSUER)
        .put("client_id", tenant)
        .put("aud", "scoregate")
        .put("scope", "scoring")
        .put("iat", now)
        .put("exp", now + 300);
  }

  private static JsonObject rsHeader() {
    return new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", issuer.kid());
  }

  private static int call(String token) {
    HttpResponse<String> r =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/scoring"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}"))
                .build());
    if (r.statusCode() == 401) {
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));
    }
    return r.statusCode();
  }

  private static String unsigned(JsonObject header, JsonObject claims) {
    return B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validRs256AndEs256TokensAreAccepted() throws Exception {
    assertThat(
            call(
                issuer.issue(
                    tenant,
                    Set.of("scoring"),
                    "scoregate",
                    Duration.ofMinutes(5),
                    CLOCK.instant())))
        .isEqualTo(200);
    String input = unsigned(new JsonObject().put("alg", "ES256").put("kid", "ec-1"), claims());
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initSign(ec.getPrivate());
    es256.update(input.getBytes(StandardCharsets.US_ASCII));
    assertThat(call(input + "." + B64.encodeToString(es256.sign()))).isEqualTo(200);
  }

  @Test
  void algNoneIsRefused() {
    assertThat(call(unsigned(new JsonObject().put("alg", "none"), claims()) + ".")).isEqualTo(401);
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() throws Exception {
    // The classic confusion: use the issuer's public key (from its JWKS) as an HMAC secret.
    String input =
        unsigned(new JsonObject().put("alg", "HS256").put("kid", issuer.kid()), claims());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Files.readAllBytes(issuer.jwksPath()), "HmacSHA256"));
    assertThat(
            call(
                input
                    + "."
                    + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)))))
        .isEqualTo(401);
    // and RS256 in the header with the EC key's id: the algorithm must match the key
    assertThat(call(issuer.sign(rsHeader().put("kid", "ec-1"), claims()))).isEqualTo(401);
  }

  @Test
  void wrongIssuerAudienceOrSignatureIsRefused() throws Exception {
    assertThat(call(issuer.sign(rsHeader(), claims().put("iss", "https://evil.example"))))
        .isEqualTo(401);
    assertThat(call(issuer.sign(rsHeader(), claims().put("aud", "someone-else")))).isEqualTo(401);
    assertThat(
            call(
                issuer.sign(
                    rsHeader(), claims().put("aud", new JsonArray().add("x").add("scoregate")))))
        .isEqualTo(200);
    String good = issuer.sign(rsHeader(), claims());
    String tampered =
        good.substring(0, good.indexOf('.') + 1)
            + B64.encodeToString(
                claims().put("client_id", "someone").encode().getBytes(StandardCharsets.UTF_8))
            + good.substring(good.lastIndexOf('.'));
    assertThat(call(tampered)).isEqualTo(401);
    assertThat(call("not.a.token")).isEqualTo(401);
  }

  @Test
  void expiryAndNotBeforeAreCheckedWithTheLeeway() throws Exception {
    long now = CLOCK.instant().getEpochSecond();
    assertThat(call(issuer.sign(rsHeader(), claims().put("exp", now - 60)))).isEqualTo(401);
    assertThat(call(issuer.sign(rsHeader(), claims().put("exp", now - 10)))).isEqualTo(200);
    assertThat(call(issuer.sign(rsHeader(), claims().put("nbf", now + 60)))).isEqualTo(401);
    assertThat(call(issuer.sign(rsHeader(), claims().put("nbf", now + 10)))).isEqualTo(200);
    JsonObject noExpiry = claims();
    noExpiry.remove("exp");
    assertThat(call(issuer.sign(rsHeader(), noExpiry))).isEqualTo(401);
  }

  @Test
  void scopesComeFromTheTokenAndTheTenantMustExist() throws Exception {
    assertThat(call(issuer.sign(rsHeader(), claims().put("scope", "reports")))).isEqualTo(403);
    assertThat(call(issuer.sign(rsHeader(), claims().put("client_id", "no-such-tenant"))))
        .isEqualTo(401);
  }

  @Test
  void anUnknownKeyIdReloadsTheIssuersKeys() throws Exception {
    // The issuer rotates in a new key: tokens signed with it pass once the JWKS is reloaded.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair rotated = generator.generateKeyPair();
    JsonObject jwks = new JsonObject(Files.readString(issuer.jwksPath()));
    ECPublicKey pub = (ECPublicKey) rotated.getPublic();
    jwks.getJsonArray("keys")
        .add(
            new JsonObject()
                .put("kty", "EC")
                .put("crv", "P-256")
                .put("kid", "ec-rotated")
                .put("x", B64.encodeToString(fixed(pub.getW().getAffineX().toByteArray())))
                .put("y", B64.encodeToString(fixed(pub.getW().getAffineY().toByteArray()))));
    Files.writeString(issuer.jwksPath(), jwks.encode());
    CLOCK.advance(Duration.ofSeconds(2)); // reloads are rate-limited to one a second here
    String input =
        unsigned(new JsonObject().put("alg", "ES256").put("kid", "ec-rotated"), claims());
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initSign(rotated.getPrivate());
    es256.update(input.getBytes(StandardCharsets.US_ASCII));
    assertThat(call(input + "." + B64.encodeToString(es256.sign()))).isEqualTo(200);
  }

  @Test
  void keyIdsWithPathOrSqlCharactersAreJustUnknownKeys() throws Exception {
    for (String kid :
        new String[] {
          "../../../etc/passwd", "' OR '1'='1", "x; DROP TABLE tenants; --", "%00", "\u0000"
        }) {
      assertThat(call(issuer.sign(rsHeader().put("kid", kid), claims()))).as(kid).isEqualTo(401);
    }
    assertThat(call(issuer.sign(rsHeader().put("kid", 42), claims()))).isEqualTo(401);
    assertThat(TestPostgres.string("SELECT count(*) FROM tenants WHERE id = '" + tenant + "'"))
        .isEqualTo("1");
  }

  @Test
  void jkuX5uAndEmbeddedJwkHeadersAreIgnored() throws Exception {
    // A key of the attacker's, offered in the header three ways: never used.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair attacker = generator.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) attacker.getPublic();
    JsonObject jwk =
        new JsonObject()
            .put("kty", "EC")
            .put("crv", "P-256")
            .put("kid", "evil")
            .put("x", B64.encodeToString(fixed(pub.getW().getAffineX().toByteArray())))
            .put("y", B64.encodeToString(fixed(pub.getW().getAffineY().toByteArray())));
    for (JsonObject header :
        new JsonObject[] {
          new JsonObject().put("alg", "ES256").put("kid", "evil").put("jwk", jwk),
          new JsonObject().put("alg", "ES256").put("kid", "evil").put("jku", "http://127.0.0.1:1/"),
          new JsonObject().put("alg", "ES256").put("kid", "evil").put("x5u", "http://127.0.0.1:1/"),
          new JsonObject().put("alg", "ES256").put("jwk", jwk)
        }) {
      String input = unsigned(header, claims());
      Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
      es256.initSign(attacker.getPrivate());
      es256.update(input.getBytes(StandardCharsets.US_ASCII));
      assertThat(call(input + "." + B64.encodeToString(es256.sign())))
          .as(header.encode())
          .isEqualTo(401);
    }
  }

  @Test
  void theIssuersOwnKeyWithAnAlgorithmOffTheListIsRefused() throws Exception {
    // Signed by the issuer's real RSA key, but with RS512: not on the allow-list.
    String input =
        unsigned(new JsonObject().put("alg", "RS512").put("kid", issuer.kid()), claims());
    assertThat(call(issuer.signWith("SHA512withRSA", input))).isEqualTo(401);
    String ps = unsigned(new JsonObject().put("alg", "PS256").put("kid", issuer.kid()), claims());
    assertThat(call(issuer.signWith("SHA256withRSA", ps))).isEqualTo(401);
  }

  @Test
  void aTenKilobyteTokenIsRefusedWithoutAServerError() throws Exception {
    String big = issuer.sign(rsHeader(), claims().put("padding", "x".repeat(10_000)));
    assertThat(big.length()).isGreaterThan(10_000);
    assertThat(call(big)).isBetween(400, 499).isNotEqualTo(200);
  }

  @Test
  void aTokenWithCriticalHeadersIsRefused() throws Exception {
    assertThat(call(issuer.sign(rsHeader().put("crit", new JsonArray().add("exp")), claims())))
        .isEqualTo(401);
    assertThat(
            call(
                issuer.sign(
                    rsHeader().put("crit", new JsonArray().add("b64")).put("b64", false),
                    claims())))
        .isEqualTo(401);
    // the same token without crit passes: the refusal is the header's
    assertThat(call(issuer.sign(rsHeader(), claims()))).isEqualTo(200);
  }
}
