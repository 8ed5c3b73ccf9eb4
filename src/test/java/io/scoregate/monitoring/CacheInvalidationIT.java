package io.scoregate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fact accepted by one instance: the other one serves the new score, not its cached one. */
class CacheInvalidationIT {

  private static int score(TestGateway gateway, String siren) {
    HttpResponse<String> r = gateway.get("/api/v1/companies/FR/" + siren + "/score");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getInteger("score");
  }

  @Test
  void theOtherInstanceServesTheNewScore() throws Exception {
    TestPostgres.ensureSchema();
    ManualClock clock = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
    try (TestGateway a = TestGateway.start(clock, Map.of());
        TestGateway b = TestGateway.start(clock, Map.of())) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insertHealthy(siren, "Two Instances SAS");
      int cached = score(b, siren);
      assertThat(score(b, siren)).isEqualTo(cached);
      String key =
          TestTenants.create(
              a.config(), "p" + System.nanoTime(), "scoring,events:write", 1000, 100_000);

      HttpResponse<String> accepted =
          a.send(
              HttpRequest.newBuilder(a.uri("/api/v1/events"))
                  .header("X-API-Key", key)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"siren\":\""
                              + siren
                              + "\",\"kind\":\"insolvency_proceeding\",\"external_ref\":\"two-"
                              + System.nanoTime()
                              + "\",\"proceeding_kind\":\"liquidation_judiciaire\","
                              + "\"opened_on\":\"2026-06-14\"}"))
                  .build());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);

      // The notification arrives asynchronously: wait for it, not for a fixed time.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int seen = score(b, siren);
      while (seen == cached && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        seen = score(b, siren);
      }
      assertThat(seen).isZero();
    }
  }
}
