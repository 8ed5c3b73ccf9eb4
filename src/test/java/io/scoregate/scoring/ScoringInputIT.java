package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input that must be refused whole, never read as something else: numbers that do not fit (no
 * wrapping to 64 bits), JSON with comments or duplicate keys, a SIREN and a SIRET of different
 * companies. Nothing is journaled for a refused request.
 */
class ScoringInputIT {

  private static TestGateway gateway;
  private static String siren;
  private static String other;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Input Test SAS");
    other = TestCompanies.newSiren();
    TestCompanies.insertHealthy(other, "Other Input Test SAS");
    gateway = TestGateway.start(new ManualClock(Instant.parse("2026-06-15T10:00:00Z")), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static long journaled() {
    return Long.parseLong(
        TestPostgres.string(
            "SELECT count(*) FROM decision_journal WHERE tenant_id = '"
                + gateway.tenantId()
                + "'"));
  }

  private static void assertRefused(String body, int status, String field) {
    long before = journaled();
    HttpResponse<String> response = gateway.post("/api/v1/scoring", body);
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(status);
    if (field != null) {
      assertThat(
              new JsonObject(response.body())
                  .getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
          .as(body)
          .containsExactly(field);
    }
    assertThat(journaled()).isEqualTo(before);
  }

  private static String request(String amount, String term) {
    return "{\"siren\":\"" + siren + "\",\"amount\":" + amount + ",\"payment_term\":" + term + "}";
  }

  @Test
  void integersBeyond64BitsAreRefusedNotWrapped() {
    // 2^64 + 30: wrapped to 64 bits it reads as a 30-day term.
    assertRefused(request("1000", "18446744073709551646"), 422, "payment_term");
    assertRefused(request("1000", "-18446744073709551586"), 422, "payment_term");
    assertRefused(request("1000", "9223372036854775808"), 422, "payment_term");
    assertRefused(request("1000", "1e19"), 422, "payment_term");
    assertRefused(request("1000", "30.5"), 422, "payment_term");
    assertThat(gateway.post("/api/v1/scoring", request("1000", "30.0")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void hugeAmountsAreRefused() {
    assertRefused(request("18446744073709551616000", "30"), 422, "amount");
    assertRefused(request("1" + "0".repeat(400), "30"), 422, "amount");
    assertRefused(request("1e400", "30"), 422, "amount");
    assertRefused(request("-1e400", "30"), 422, "amount");
  }

  @Test
  void jsonWithCommentsOrDuplicateKeysIsRefused() {
    assertRefused(
        "{\"siren\":\"" + siren + "\", /* c */ \"amount\":1000,\"payment_term\":30}", 400, null);
    assertRefused(
        "{\"siren\":\"" + siren + "\", // c\n \"amount\":1000,\"payment_term\":30}", 400, null);
    assertRefused("# c\n" + request("1000", "30"), 400, null);
    assertRefused(
        "{\"siren\":\""
            + other
            + "\",\"siren\":\""
            + siren
            + "\",\"amount\":1,\"payment_term\":30}",
        400,
        null);
    assertRefused(request("1000", "30") + " {}", 400, null);
  }

  @Test
  void aSirenAndASiretOfDifferentCompaniesAreRefused() {
    String mismatch =
        "{\"siren\":\""
            + siren
            + "\",\"siret\":\""
            + TestCompanies.siretOf(other)
            + "\",\"amount\":1000,\"payment_term\":30}";
    assertRefused(mismatch, 422, "siret");
    String same =
        "{\"siren\":\""
            + siren
            + "\",\"siret\":\""
            + TestCompanies.siretOf(siren)
            + "\",\"amount\":1000,\"payment_term\":30}";
    assertThat(gateway.post("/api/v1/scoring", same).statusCode()).isEqualTo(200);
  }
}
