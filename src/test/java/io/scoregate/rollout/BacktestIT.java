package io.scoregate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.model.ScoringModel;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The back-test on real decisions: decisions journaled in February 2026 by a gateway, defaults that
 * came later (insolvency proceedings, a payment incident 120 days late) and events that are not
 * defaults (a payment incident 30 days late), then the realized rates, per window and grade.
 */
class BacktestIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-02-10T10:00:00Z"));
  private static final LocalDate FROM = LocalDate.parse("2026-02-01");
  private static final LocalDate TO = LocalDate.parse("2026-03-01");
  private static final List<String> healthy = new ArrayList<>();
  private static final List<String> distressed = new ArrayList<>();
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void decideThenObserve() throws Exception {
    TestPostgres.ensureSchema();
    try (TestGateway gateway = TestGateway.start(CLOCK, Map.of())) {
      for (int i = 0; i < 20; i++) {
        String siren = TestCompanies.newSiren();
        TestCompanies.insert(siren, "Healthy " + i, 1.0);
        healthy.add(siren);
      }
      for (int i = 0; i < 10; i++) {
        String siren = TestCompanies.newSiren();
        TestCompanies.insert(siren, "Distressed " + i, 0.05);
        distressed.add(siren);
      }
      List<String> all = new ArrayList<>(healthy);
      all.addAll(distressed);
      for (String siren : all) {
        decide(gateway, siren);
      }
      // A second decision on a company in the same month counts once.
      decide(gateway, healthy.get(0));
      decide(gateway, distressed.get(0));
    }
    for (int i = 0; i < 6; i++) {
      TestCompanies.insertProceeding(distressed.get(i), "redressement_judiciaire", "2026-05-04");
    }
    TestCompanies.insertProceeding(healthy.get(1), "sauvegarde", "2026-09-30");
    TestCompanies.insertIncident(distressed.get(7), "2026-04-15", 25_000, 120);
    // Not defaults: 30 days late, and a proceeding after the 12-month horizon.
    TestCompanies.insertIncident(healthy.get(2), "2026-04-15", 5_000, 30);
    TestCompanies.insertProceeding(healthy.get(3), "sauvegarde", "2027-03-01");
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static void decide(TestGateway gateway, String siren) {
    assertThat(
            gateway
                .post(
                    "/api/v1/scoring",
                    "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}")
                .statusCode())
        .isEqualTo(200);
  }

  private static JsonObject backtest(String asOf) throws Exception {
    return new Backtest(pool)
        .run(FROM, TO, Backtest.Window.MONTH, 12, Instant.parse(asOf))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void realizedDefaultsPerWindowAndGrade() throws Exception {
    JsonObject report = backtest("2027-06-01T00:00:00Z");
    JsonArray windows = report.getJsonArray("windows");
    assertThat(windows).hasSize(1);
    JsonObject february = windows.getJsonObject(0);
    assertThat(february.getString("window")).isEqualTo("2026-02-01");
    assertThat(february.getInteger("companies")).isEqualTo(30);
    // 6 proceedings and one incident 120 days late among the distressed, one proceeding among the
    // healthy; the 30-day incident and the proceeding after the horizon are not defaults.
    assertThat(february.getInteger("defaults")).isEqualTo(8);
    assertThat(february.getBoolean("mature")).isTrue();
    assertThat(
            february
                .getJsonObject("models")
                .getInteger(ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE).version()))
        .isEqualTo(30);
    // The model ranked the distressed companies above the healthy ones.
    assertThat(february.getDouble("auc")).isGreaterThan(0.8);
    int companies = 0;
    int defaults = 0;
    for (Object g : february.getJsonArray("grades")) {
      companies += ((JsonObject) g).getInteger("companies");
      defaults += ((JsonObject) g).getInteger("defaults");
    }
    assertThat(companies).isEqualTo(30);
    assertThat(defaults).isEqualTo(8);
    assertThat(report.getJsonObject("overall").getInteger("companies")).isEqualTo(30);
  }

  @Test
  void aWindowWhoseHorizonHasNotPassedIsImmature() throws Exception {
    JsonObject february = backtest("2026-10-01T00:00:00Z").getJsonArray("windows").getJsonObject(0);
    assertThat(february.getBoolean("mature")).isFalse();
  }
}
