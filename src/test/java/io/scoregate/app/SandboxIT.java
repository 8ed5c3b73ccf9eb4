package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox companies of the README, loaded by the real demo-data command and scored by the
 * shipped model: each shows the outcome the README promises partners.
 */
class SandboxIT {

  @TempDir static Path dir;
  private static TestGateway gateway;

  @BeforeAll
  static void load() throws Exception {
    TestPostgres.ensureSchema();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestPostgres.pool(vertx);
      AppConfig config = TestGateway.config(Map.of());
      Path training =
          Path.of(
              System.getProperty("scoregate.shared.dir", "../shared"),
              "data",
              "polish-5year-train.csv");
      DataCommands.demoData(pool, config, 200, 42, dir, training, 2000);
    } finally {
      vertx.close();
    }
    gateway = TestGateway.start(new ManualClock(Instant.now()), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static JsonObject decide(String siren, int expectedStatus) {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring",
            "{\"siren\":\"" + siren + "\",\"amount\":50000,\"payment_term\":60}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return new JsonObject(response.body());
  }

  private static String firstReason(JsonObject answer) {
    return answer.getJsonArray("reasons").getJsonObject(0).getString("code");
  }

  @Test
  void healthyIsAccepted() {
    JsonObject a = decide("000000018", 200);
    assertThat(a.getString("recommendation")).isEqualTo("accept");
    assertThat(a.getString("risk_level")).isEqualTo("low");
  }

  @Test
  void mediumRiskIsAcceptedWithMonitoring() {
    JsonObject a = decide("000000026", 200);
    assertThat(a.getString("recommendation")).isEqualTo("accept_with_monitoring");
    assertThat(a.getString("risk_level")).isEqualTo("medium");
  }

  @Test
  void highRiskGoesToManualReview() {
    JsonObject a = decide("000000034", 200);
    assertThat(a.getString("recommendation")).isEqualTo("manual_review");
    assertThat(a.getString("risk_level")).isEqualTo("high");
  }

  @Test
  void anOpenRedressementJudiciaireIsRefused() {
    JsonObject a = decide("000000042", 200);
    assertThat(a.getString("recommendation")).isEqualTo("refuse");
    assertThat(firstReason(a)).contains("INSOLVENCY");
  }

  @Test
  void paymentIncidentsNotchTheHealthyProfileDown() {
    JsonObject healthy = decide("000000018", 200);
    JsonObject late = decide("000000059", 200);
    assertThat(firstReason(late)).isEqualTo("PAYMENT_INCIDENTS_12M");
    assertThat(late.getString("risk_level")).isEqualTo("medium");
    assertThat(late.getInteger("score")).isLessThan(healthy.getInteger("score"));
  }

  @Test
  void liquidationScoresZeroAndIsRefused() {
    JsonObject a = decide("000000067", 200);
    assertThat(a.getInteger("score")).isZero();
    assertThat(a.getString("recommendation")).isEqualTo("refuse");
  }

  @Test
  void noStatementsMeansManualReviewForInsufficientData() {
    JsonObject a = decide("000000075", 200);
    assertThat(a.getString("recommendation")).isEqualTo("manual_review");
    assertThat(firstReason(a)).isEqualTo("INSUFFICIENT_DATA");
  }

  @Test
  void validButUnknownIs404AndTheBrochureExampleIs422() {
    assertThat(decide("000000083", 404).getString("type")).isEqualTo("/problems/not-found");
    JsonObject invalid = decide("123456789", 422);
    assertThat(invalid.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("siren");
  }
}
