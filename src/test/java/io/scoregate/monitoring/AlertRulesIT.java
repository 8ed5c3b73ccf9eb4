package io.scoregate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every alert rule on real Postgres: it fires once when its condition starts to hold and again only
 * after it cleared; the alerts reach the listeners in the transaction that inserted them. Score
 * changes and facts are handed to the evaluator as the re-scoring does, in a transaction.
 */
class AlertRulesIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static final List<String> LEVELS = List.of("low", "medium", "high", "very_high");
  private static TestGateway gateway;
  private static MonitoringApi api;
  private static Pool pool;
  private static AlertEvaluator evaluator;
  private static long nextEvent = System.nanoTime();

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(CLOCK, Map.of());
    api =
        new MonitoringApi(
            gateway,
            TestTenants.create(
                gateway.config(),
                "r" + System.nanoTime(),
                "scoring,portfolios",
                100_000,
                1_000_000));
    pool = TestPostgres.pool(gateway.gateway().vertx());
    evaluator = gateway.gateway().alertEvaluator();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    gateway.close();
  }

  /** A portfolio holding one new company (exposure 1,000 EUR) scored {@code score} a while ago. */
  private record Held(String portfolio, String siren, long companyId) {}

  private static Held held(int score) {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Watched SAS");
    long companyId =
        Long.parseLong(
            TestPostgres.string("SELECT id FROM companies WHERE national_id = '" + siren + "'"));
    Instant then = CLOCK.instant().minus(Duration.ofDays(60));
    TestPostgres.execute(
        "INSERT INTO company_scores (company_id, score, pd, risk_level, model_version, reasons,"
            + " computed_at) VALUES ("
            + companyId
            + ", "
            + score
            + ", 0.01, '"
            + level(score)
            + "', 'm1', '[]', '"
            + then
            + "')",
        history(companyId, score, "initial", then));
    String portfolio = api.createPortfolio("Rules " + siren);
    api.putMember(portfolio, "REF-" + siren, siren, "1000");
    return new Held(portfolio, siren, companyId);
  }

  private static String history(long companyId, int score, String cause, Instant at) {
    return "INSERT INTO score_history (company_id, score, pd, risk_level, model_version, cause,"
        + " recorded_at) VALUES ("
        + companyId
        + ", "
        + score
        + ", 0.02, '"
        + level(score)
        + "', 'm1', '"
        + cause
        + "', '"
        + at
        + "')";
  }

  private static String level(int score) {
    return score >= 70 ? "low" : score >= 50 ? "medium" : score >= 30 ? "high" : "very_high";
  }

  /** The re-scoring's part: the history row, the current score, then the listener, in one tx. */
  private static void rescore(Held h, int from, int to, String cause) {
    CLOCK.advance(Duration.ofHours(1));
    Instant at = CLOCK.instant();
    ScoreChange change =
        new ScoreChange(
            h.companyId(),
            "FR",
            h.siren(),
            new ScoreSnapshot(from, 0.02, null, level(from), "m1"),
            new ScoreSnapshot(to, 0.05, null, level(to), "m1"),
            cause,
            cause.equals("event") ? nextEvent++ : null,
            cause.equals("event") ? "accounts_filed" : null,
            at);
    inTx(
        tx ->
            tx.query(history(h.companyId(), to, cause, at))
                .execute()
                .compose(
                    v ->
                        tx.preparedQuery(
                                "UPDATE company_scores SET score = $2, risk_level = $3"
                                    + " WHERE company_id = $1")
                            .execute(Tuple.of(h.companyId(), to, level(to))))
                .compose(v -> evaluator.onChanges(tx, List.of(change))));
  }

  private static void fact(Held h, long eventId, String kind, JsonObject details) {
    CLOCK.advance(Duration.ofHours(1));
    inTx(
        tx ->
            evaluator.onFacts(
                tx, List.of(new Fact(eventId, h.companyId(), kind, details, CLOCK.instant()))));
  }

  private static void inTx(Function<SqlConnection, Future<Void>> work) {
    try {
      pool.withTransaction(work::apply)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonArray alerts(Held h, String rule) {
    return api.json(
            "GET", "/api/v1/portfolios/" + h.portfolio() + "/alerts?rule=" + rule, null, 200)
        .getJsonArray("items");
  }

  private static void rule(Held h, String rule, String body) {
    api.json("PATCH", "/api/v1/portfolios/" + h.portfolio() + "/rules/" + rule, body, 200);
  }

  @Test
  void scoreBelowFiresOnceAndAgainOnlyAfterClearing() {
    Held h = held(55);
    rescore(h, 55, 39, "event");
    rescore(h, 39, 41, "scheduled"); // clears
    rescore(h, 41, 39, "scheduled"); // fires again
    rescore(h, 39, 38, "scheduled"); // still below: nothing new
    JsonArray fired = alerts(h, "score_below");
    assertThat(fired).hasSize(2);
    JsonObject latest = fired.getJsonObject(0);
    assertThat(latest.getInteger("score_before")).isEqualTo(41);
    assertThat(latest.getInteger("score_after")).isEqualTo(39);
    assertThat(latest.getString("reference")).isEqualTo("REF-" + h.siren());
    assertThat(latest.getString("exposure")).isEqualTo("1000.00");
    assertThat(latest.getString("status")).isEqualTo("open");
    JsonObject first = fired.getJsonObject(1);
    assertThat(first.getString("cause")).isEqualTo("event");
    assertThat(first.getLong("cause_event_id")).isNotNull();
    assertThat(first.getJsonObject("company").getString("id")).isEqualTo(h.siren());
  }

  @Test
  void aDropOfMoreThanTwentyPointsWithinThirtyDaysFiresOnceAndIgnoresModelChanges() {
    Held h = held(80);
    rescore(h, 80, 70, "event");
    rescore(h, 70, 61, "event"); // 19 down from 80
    assertThat(alerts(h, "score_drop")).isEmpty();
    rescore(h, 61, 59, "event"); // 21 down
    rescore(h, 59, 55, "event"); // still dropped
    assertThat(alerts(h, "score_drop")).hasSize(1);
    assertThat(alerts(h, "score_drop").getJsonObject(0).getJsonObject("details").getInteger("drop"))
        .isEqualTo(21);

    Held swapped = held(80);
    rescore(swapped, 80, 50, "model_change"); // a model swap alone never pages
    rescore(swapped, 50, 45, "event");
    assertThat(alerts(swapped, "score_drop")).isEmpty();
    rule(swapped, "score_drop", "{\"params\":{\"ignore_model_change\":false}}");
    rescore(swapped, 45, 44, "event");
    assertThat(alerts(swapped, "score_drop")).hasSize(1);
  }

  @Test
  void aDropOlderThanTheWindowDoesNotCount() {
    Held h = held(80);
    rescore(h, 80, 70, "event");
    CLOCK.advance(Duration.ofDays(31));
    rescore(h, 70, 55, "event"); // 80 is out of the 30 days: 15 down from 70
    assertThat(alerts(h, "score_drop")).isEmpty();
  }

  @Test
  void riskLevelWorseThanTheRulesLevelFiresOnce() {
    Held h = held(45);
    rescore(h, 45, 25, "event"); // very_high: worse than high
    rescore(h, 25, 20, "event");
    assertThat(alerts(h, "risk_level_worse")).hasSize(1);
    rule(h, "risk_level_worse", "{\"params\":{\"than\":\"low\"}}");
    rescore(h, 20, 60, "event"); // medium: still worse than low, already active
    assertThat(alerts(h, "risk_level_worse")).hasSize(1);
    rescore(h, 60, 75, "event"); // low: clears
    rescore(h, 75, 65, "event");
    assertThat(alerts(h, "risk_level_worse")).hasSize(2);
  }

  @Test
  void anInsolvencyProceedingFiresOncePerProceedingAndClearsWhenClosed() {
    Held h = held(60);
    long opened = nextEvent++;
    JsonObject rj =
        new JsonObject()
            .put("proceeding_kind", "redressement_judiciaire")
            .put("opened_on", "2026-06-10");
    fact(h, opened, "insolvency_proceeding", rj);
    fact(h, opened, "insolvency_proceeding", rj); // delivered twice
    assertThat(alerts(h, "insolvency_proceeding")).hasSize(1);
    assertThat(alerts(h, "insolvency_proceeding").getJsonObject(0).getString("cause_event_kind"))
        .isEqualTo("insolvency_proceeding");
    fact(h, nextEvent++, "insolvency_proceeding", rj.copy().put("closed_on", "2026-06-12"));
    assertThat(active(h, "insolvency_proceeding")).isFalse();
    fact(
        h,
        nextEvent++,
        "insolvency_proceeding",
        new JsonObject().put("proceeding_kind", "liquidation_judiciaire"));
    assertThat(alerts(h, "insolvency_proceeding")).hasSize(2);
  }

  @Test
  void aPaymentIncidentFiresAboveItsMinimumsOncePerIncident() {
    Held h = held(60);
    rule(h, "payment_incident", "{\"params\":{\"min_amount\":5000,\"min_days_late\":30}}");
    fact(
        h,
        nextEvent++,
        "payment_incident",
        new JsonObject().put("amount", 1000).put("days_late", 90));
    fact(
        h,
        nextEvent++,
        "payment_incident",
        new JsonObject().put("amount", 9000).put("days_late", 10));
    assertThat(alerts(h, "payment_incident")).isEmpty();
    long big = nextEvent++;
    JsonObject incident = new JsonObject().put("amount", 9000).put("days_late", 45);
    fact(h, big, "payment_incident", incident);
    fact(h, big, "payment_incident", incident);
    fact(h, nextEvent++, "payment_incident", incident);
    JsonArray fired = alerts(h, "payment_incident");
    assertThat(fired).hasSize(2);
    assertThat(fired.getJsonObject(1).getJsonObject("details").getInteger("amount"))
        .isEqualTo(9000);
  }

  @Test
  void aCeasedCompanyFiresOnceAndAgainOnlyAfterItWasActive() {
    Held h = held(60);
    fact(h, nextEvent++, "status_changed", new JsonObject().put("status", "ceased"));
    fact(h, nextEvent++, "status_changed", new JsonObject().put("status", "ceased"));
    assertThat(alerts(h, "company_ceased")).hasSize(1);
    fact(h, nextEvent++, "status_changed", new JsonObject().put("status", "active"));
    fact(h, nextEvent++, "status_changed", new JsonObject().put("status", "ceased"));
    assertThat(alerts(h, "company_ceased")).hasSize(2);
  }

  @Test
  void anExposureAboveTheRecommendedLimitFiresWhenSetAndAgainAfterComingBack() {
    Held h = held(60);
    String members = "/api/v1/portfolios/" + h.portfolio() + "/members";
    JsonObject member = api.json("GET", members, null, 200).getJsonArray("items").getJsonObject(0);
    long limit = new java.math.BigDecimal(member.getString("recommended_limit")).longValue();
    assertThat(limit).isPositive();
    assertThat(member.getInteger("recommended_term")).isEqualTo(60);
    assertThat(member.getDouble("origination_pd")).isEqualTo(0.01);
    api.putMember(h.portfolio(), "REF-" + h.siren(), h.siren(), Long.toString(limit + 1));
    api.putMember(h.portfolio(), "REF-" + h.siren(), h.siren(), Long.toString(limit + 2));
    assertThat(alerts(h, "exposure_above_limit")).hasSize(1);
    api.putMember(h.portfolio(), "REF-" + h.siren(), h.siren(), Long.toString(limit));
    api.putMember(h.portfolio(), "REF-" + h.siren(), h.siren(), Long.toString(limit * 2));
    assertThat(alerts(h, "exposure_above_limit")).hasSize(2);
    // A re-score revises the limit: very_high refuses, so the limit drops to zero.
    rescore(h, 60, 20, "event");
    JsonObject revised = api.json("GET", members, null, 200).getJsonArray("items").getJsonObject(0);
    assertThat(revised.getString("recommended_limit")).isEqualTo("0.00");
    assertThat(revised.getInteger("recommended_term")).isZero();
  }

  @Test
  void aRuleTurnedOffOrBelowItsMinimumExposureDoesNotFire() {
    Held off = held(60);
    rule(off, "score_below", "{\"enabled\":false}");
    rescore(off, 60, 30, "event");
    assertThat(alerts(off, "score_below")).isEmpty();
    Held small = held(60);
    rule(small, "score_below", "{\"min_exposure\":50000}");
    rescore(small, 60, 30, "event");
    assertThat(alerts(small, "score_below")).isEmpty();
    assertThat(alerts(small, "score_drop")).hasSize(1);
  }

  @Test
  void theListenersGetTheAlertsInTheirTransactionAndCanRollThemBack() {
    Held h = held(60);
    List<Integer> seen = new ArrayList<>();
    AlertListener counting =
        (tx, list) ->
            tx.preparedQuery("SELECT count(*) FROM alerts WHERE id = ANY($1)")
                .execute(Tuple.of((Object) list.stream().map(Alert::id).toArray(UUID[]::new)))
                .map(
                    rows -> {
                      seen.add(rows.iterator().next().getInteger(0));
                      return null;
                    });
    AlertEvaluator told =
        new AlertEvaluator(
            new PolicyCreditTerms(
                new io.scoregate.scoring.DecisionPolicy(gateway.config().policy())),
            LEVELS,
            List.of(counting, (tx, list) -> Future.failedFuture("the outbox is full")));
    ScoreChange change =
        new ScoreChange(
            h.companyId(),
            "FR",
            h.siren(),
            new ScoreSnapshot(60, 0.02, null, "medium", "m1"),
            new ScoreSnapshot(35, 0.05, null, "high", "m1"),
            "scheduled",
            null,
            null,
            CLOCK.instant());
    assertThatThrownBy(() -> inTx(tx -> told.onChanges(tx, List.of(change))))
        .hasMessageContaining("the outbox is full");
    assertThat(seen).containsExactly(2); // score_below and score_drop, visible in the tx
    assertThat(alerts(h, "score_below")).isEmpty(); // rolled back with the listener's failure
  }

  @Test
  void anAlertIsAcknowledgedThenResolvedWithWhoWhenAndWhy() {
    Held h = held(60);
    rescore(h, 60, 35, "event");
    String id = alerts(h, "score_below").getJsonObject(0).getString("id");
    String base = "/api/v1/portfolios/" + h.portfolio() + "/alerts/" + id;
    JsonObject acked =
        api.json("POST", base + "/acknowledge", "{\"comment\":\"calling the CFO\"}", 200);
    assertThat(acked.getString("status")).isEqualTo("acknowledged");
    assertThat(acked.getJsonObject("acknowledged").getString("comment"))
        .isEqualTo("calling the CFO");
    assertThat(acked.getJsonObject("acknowledged").getString("by")).startsWith("sgk_");
    assertThat(api.call("POST", base + "/acknowledge", "{}").statusCode()).isEqualTo(409);
    JsonObject resolved =
        api.json("POST", base + "/resolve", "{\"comment\":\"guarantee received\"}", 200);
    assertThat(resolved.getString("status")).isEqualTo("resolved");
    assertThat(resolved.getJsonObject("resolved").getString("at"))
        .isEqualTo(CLOCK.instant().toString());
    assertThat(api.call("POST", base + "/resolve", "{}").statusCode()).isEqualTo(409);
    JsonArray open =
        api.json(
                "GET",
                "/api/v1/portfolios/" + h.portfolio() + "/alerts?status=open&rule=score_below",
                null,
                200)
            .getJsonArray("items");
    assertThat(open).isEmpty();
    assertThat(
            api.call(
                    "POST",
                    "/api/v1/portfolios/"
                        + h.portfolio()
                        + "/alerts/"
                        + UUID.randomUUID()
                        + "/resolve",
                    "{}")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void alertsPageNewestFirstFromASince() {
    Held h = held(90);
    rule(
        h,
        "exposure_above_limit",
        "{\"enabled\":false}"); // the refusal's zero limit would fire too
    Instant before = CLOCK.instant();
    rescore(
        h, 90, 35,
        "event"); // score_below, score_drop, risk_level_worse? high is not worse than high
    rescore(h, 35, 25, "event"); // risk_level_worse (very_high)
    String base = "/api/v1/portfolios/" + h.portfolio() + "/alerts";
    JsonObject page = api.json("GET", base + "?limit=2", null, 200);
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("rule"))
        .isEqualTo("risk_level_worse");
    JsonObject rest = api.json("GET", base + "?limit=2&after=" + page.getString("next"), null, 200);
    assertThat(rest.getJsonArray("items")).hasSize(1);
    assertThat(rest.getString("next")).isNull();
    assertThat(api.json("GET", base + "?since=" + CLOCK.instant(), null, 200).getJsonArray("items"))
        .hasSize(1);
    assertThat(api.json("GET", base + "?since=" + before, null, 200).getJsonArray("items"))
        .hasSize(3);
    assertThat(api.get(base + "?since=yesterday").statusCode()).isEqualTo(422);
  }

  @Test
  void moversListTheLargestDropsWithTheirCauses() {
    Held big = held(80);
    rescore(big, 80, 50, "event");
    Held small = held(70);
    api.putMember(big.portfolio(), "SMALL", small.siren(), "10");
    rescore(small, 70, 65, "scheduled");
    JsonObject movers =
        api.json("GET", "/api/v1/portfolios/" + big.portfolio() + "/movers?days=30", null, 200);
    assertThat(movers.getInteger("dropped")).isEqualTo(2);
    assertThat(movers.getInteger("members")).isEqualTo(2);
    JsonObject first = movers.getJsonArray("movers").getJsonObject(0);
    assertThat(first.getInteger("drop")).isEqualTo(30);
    assertThat(first.getInteger("score_then")).isEqualTo(80);
    JsonObject cause = first.getJsonArray("changes").getJsonObject(0);
    assertThat(cause.getString("cause")).isEqualTo("event");
    assertThat(cause.getInteger("score_before")).isEqualTo(80);
    assertThat(cause.getInteger("score_after")).isEqualTo(50);
    assertThat(movers.getJsonArray("movers").getJsonObject(1).getString("reference"))
        .isEqualTo("SMALL");
    assertThat(api.get("/api/v1/portfolios/" + big.portfolio() + "/movers?days=0").statusCode())
        .isEqualTo(422);
  }

  private static boolean active(Held h, String rule) {
    return "t"
        .equals(
            TestPostgres.string(
                "SELECT active FROM alert_conditions WHERE portfolio_id = '"
                    + h.portfolio()
                    + "' AND company_id = "
                    + h.companyId()
                    + " AND rule = '"
                    + rule
                    + "'"));
  }
}
