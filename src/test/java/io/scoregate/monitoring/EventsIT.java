package io.scoregate.monitoring;

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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facts in by API: each kind and its effect on the stored score and history, idempotent replays,
 * per-line results of NDJSON, unknown companies, the scope, and the history pages.
 */
class EventsIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static TestGateway gateway;
  private static String provider;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(CLOCK, Map.of());
    provider =
        TestTenants.create(
            gateway.config(), "p" + System.nanoTime(), "scoring,events:write", 100_000, 1_000_000);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> postEvents(String key, String body, String contentType) {
    return gateway.send(
        HttpRequest.newBuilder(gateway.uri("/api/v1/events"))
            .timeout(Duration.ofSeconds(30))
            .header("X-API-Key", key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> event(String json) {
    return postEvents(provider, json, "application/json");
  }

  private static JsonObject score(String siren) {
    HttpResponse<String> r = gateway.get("/api/v1/companies/FR/" + siren + "/score");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static JsonArray history(String siren) {
    HttpResponse<String> r = gateway.get("/api/v1/companies/FR/" + siren + "/history");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("items");
  }

  private static String ref() {
    return "ref-" + System.nanoTime();
  }

  @Test
  void aPaymentIncidentLowersTheScoreAndRecordsTheEventAsTheCause() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Incident SAS");
    int before = score(siren).getInteger("score");

    HttpResponse<String> r =
        event(
            "{\"siren\":\""
                + siren
                + "\",\"kind\":\"payment_incident\",\"external_ref\":\""
                + ref()
                + "\",\"amount\":12500,\"days_late\":45,\"due_on\":\"2026-04-01\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject answer = new JsonObject(r.body());
    assertThat(answer.getString("result")).isEqualTo("accepted");
    int after = score(siren).getInteger("score");
    assertThat(after).isLessThan(before);
    assertThat(answer.getJsonObject("score").getInteger("after")).isEqualTo(after);
    JsonArray history = history(siren);
    assertThat(history).hasSize(1);
    JsonObject row = history.getJsonObject(0);
    assertThat(row.getString("cause")).isEqualTo("event");
    assertThat(row.getInteger("score")).isEqualTo(after);
    assertThat(row.getString("grade")).matches("G([1-9]|10)");
    assertThat(row.getJsonObject("cause_event").getLong("id"))
        .isEqualTo(answer.getLong("event_id"));
    assertThat(row.getJsonObject("cause_event").getString("kind")).isEqualTo("payment_incident");
    assertThat(
            TestPostgres.string(
                "SELECT occurred_on::text FROM company_events WHERE id = "
                    + answer.getLong("event_id")))
        .as("occurred on the due date plus the days late")
        .isEqualTo("2026-05-16");
  }

  @Test
  void aReplayChangesNothingAndSaysSo() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Replay SAS");
    String json =
        "{\"siren\":\""
            + siren
            + "\",\"kind\":\"payment_incident\",\"external_ref\":\""
            + ref()
            + "\",\"amount\":900,\"days_late\":10,\"occurred_on\":\"2026-06-01\"}";
    HttpResponse<String> first = event(json);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

    HttpResponse<String> again = event(json);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getString("result")).isEqualTo("duplicate");
    assertThat(new JsonObject(again.body()).getLong("event_id"))
        .isEqualTo(new JsonObject(first.body()).getLong("event_id"));
    assertThat(history(siren)).hasSize(1);
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM company_events e JOIN companies c ON c.id = e.company_id"
                    + " WHERE c.national_id = '"
                    + siren
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void aLiquidationRefusesTheCompanyAndItsClosingIsAFactToo() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Proceeding SAS");
    int healthy = score(siren).getInteger("score");

    HttpResponse<String> opened =
        event(
            "{\"company\":{\"country\":\"FR\",\"id\":\""
                + siren
                + "\"},\"kind\":\"insolvency_proceeding\",\"external_ref\":\""
                + ref()
                + "\",\"proceeding_kind\":\"redressement_judiciaire\",\"opened_on\":\"2026-06-01\","
                + "\"court\":\"Tribunal de commerce de Lyon\"}");
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
    JsonObject during = score(siren);
    assertThat(during.getString("risk_level")).isEqualTo("very_high");

    HttpResponse<String> closed =
        event(
            "{\"siren\":\""
                + siren
                + "\",\"kind\":\"insolvency_proceeding\",\"external_ref\":\""
                + ref()
                + "\",\"proceeding_kind\":\"redressement_judiciaire\",\"closed_on\":\"2026-06-10\"}");
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);

    assertThat(score(siren).getInteger("score")).isEqualTo(healthy);
    JsonArray history = history(siren);
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getInteger("score")).isEqualTo(healthy);
    assertThat(history.getJsonObject(1).getString("risk_level")).isEqualTo("very_high");
  }

  @Test
  void aCeasedCompanyScoresZero() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Ceased SAS");
    score(siren);

    HttpResponse<String> r =
        event(
            "{\"siren\":\""
                + siren
                + "\",\"kind\":\"status_changed\",\"external_ref\":\""
                + ref()
                + "\",\"status\":\"ceased\",\"occurred_on\":\"2026-06-14\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(score(siren).getInteger("score")).isZero();
    assertThat(
            TestPostgres.string("SELECT status FROM companies WHERE national_id = '" + siren + "'"))
        .isEqualTo("ceased");
  }

  @Test
  void filedAccountsScoreACompanyThatHadNone() {
    String siren = TestCompanies.newSiren();
    TestPostgres.execute(
        "INSERT INTO companies (country, national_id, name) VALUES ('FR', '"
            + siren
            + "', 'New Filer SAS')");
    assertThat(score(siren).getValue("score")).isNull();

    HttpResponse<String> r =
        event(
            "{\"siren\":\""
                + siren
                + "\",\"kind\":\"accounts_filed\",\"external_ref\":\""
                + ref()
                + "\",\"fiscal_year\":2025,\"period_end\":\"2025-12-31\",\"filed_on\":\"2026-05-30\","
                + "\"lines\":{\"total_assets\":10000000,\"current_assets\":6000000,"
                + "\"inventory\":1000000,\"receivables\":2000000,\"cash\":3000000,"
                + "\"equity\":5000000,\"total_liabilities\":5000000,"
                + "\"short_term_liabilities\":2000000,\"sales\":12000000,"
                + "\"operating_profit\":1500000,\"gross_profit\":1400000,\"net_profit\":1000000,"
                + "\"ebit\":1500000,\"depreciation\":300000,\"interest\":50000}}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(score(siren).getInteger("score")).isBetween(0, 100);
    assertThat(history(siren)).hasSize(1);
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM financial_statements s JOIN companies c ON c.id ="
                    + " s.company_id WHERE c.national_id = '"
                    + siren
                    + "' AND s.fiscal_year = 2025 AND s.sales = 12000000"))
        .isEqualTo(1);
  }

  @Test
  void ndjsonGivesEachLineItsResultAndOneBadLineRejectsNoOther() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Batch SAS");
    String unknown = TestCompanies.newSiren();
    String body =
        "{\"siren\":\""
            + siren
            + "\",\"kind\":\"payment_incident\",\"external_ref\":\"a-"
            + ref()
            + "\",\"amount\":100,\"occurred_on\":\"2026-06-01\"}\n"
            + "{\"siren\":\""
            + siren
            + "\",\"kind\":\"payment_incident\",\"external_ref\":\"b-"
            + ref()
            + "\",\"amount\":\"lots\",\"occurred_on\":\"2026-06-01\"}\n"
            + "\n"
            + "{\"siren\":\""
            + unknown
            + "\",\"kind\":\"status_changed\",\"external_ref\":\"c-"
            + ref()
            + "\",\"status\":\"ceased\",\"occurred_on\":\"2026-06-01\"}\n"
            + "not json\n";

    HttpResponse<String> r = postEvents(provider, body, "application/x-ndjson");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(r.body());
    assertThat(answer.getInteger("accepted")).isEqualTo(1);
    assertThat(answer.getInteger("problems")).isEqualTo(3);
    JsonArray results = answer.getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("result")).isEqualTo("accepted");
    JsonObject bad = results.getJsonObject(1);
    assertThat(bad.getLong("line")).isEqualTo(2);
    assertThat(bad.getString("result")).isEqualTo("problem");
    assertThat(bad.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("amount");
    JsonObject stranger = results.getJsonObject(2);
    assertThat(stranger.getLong("line")).isEqualTo(4);
    assertThat(stranger.getString("type")).isEqualTo("unknown-company");
    assertThat(stranger.getJsonArray("errors").getJsonObject(0).getString("code"))
        .isEqualTo("unknown_company");
    assertThat(results.getJsonObject(3).getLong("line")).isEqualTo(5);
    assertThat(results.getJsonObject(3).getString("type")).isEqualTo("malformed-request");
  }

  @Test
  void factsArrivingTogetherShareTransactionsAndOneThatPostgresRefusesFailsAlone() {
    String run = Long.toString(System.nanoTime());
    String refused = "refused-" + run;
    // Postgres refuses one fact (a check this test adds): the transaction holding it rolls back,
    // and each of its facts is applied again alone.
    TestPostgres.execute(
        "ALTER TABLE company_events ADD CONSTRAINT events_it_refuses_"
            + run
            + " CHECK (external_ref <> '"
            + refused
            + "') NOT VALID");
    try {
      int n = 30;
      String[] sirens = new String[n];
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sirens[i] = TestCompanies.newSiren();
        TestCompanies.insertHealthy(sirens[i], "Together " + i);
        body.append(incident(sirens[i], "many-" + run + "-" + i));
      }
      // about the first company: an opening, then its closing, in this order
      body.append(
          "{\"siren\":\""
              + sirens[0]
              + "\",\"kind\":\"insolvency_proceeding\","
              + "\"external_ref\":\"open-"
              + run
              + "\","
              + "\"proceeding_kind\":\"sauvegarde\",\"opened_on\":\"2026-06-02\"}\n");
      body.append(
          "{\"siren\":\""
              + sirens[0]
              + "\",\"kind\":\"insolvency_proceeding\","
              + "\"external_ref\":\"close-"
              + run
              + "\","
              + "\"proceeding_kind\":\"sauvegarde\",\"closed_on\":\"2026-06-10\"}\n");
      body.append(incident(sirens[1], "many-" + run + "-1")); // a replay within the call
      body.append(incident(sirens[2], refused));
      HttpResponse<String> r = postEvents(provider, body.toString(), "application/x-ndjson");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject answer = new JsonObject(r.body());
      assertThat(answer.getInteger("accepted")).isEqualTo(n + 2);
      assertThat(answer.getInteger("duplicates")).isEqualTo(1);
      assertThat(answer.getInteger("problems")).isEqualTo(1);
      JsonArray results = answer.getJsonArray("results");
      JsonObject replay = results.getJsonObject(n + 2);
      assertThat(replay.getString("result")).isEqualTo("duplicate");
      assertThat(replay.getLong("event_id"))
          .isEqualTo(results.getJsonObject(1).getLong("event_id"));
      JsonObject problem = results.getJsonObject(n + 3);
      assertThat(problem.getLong("line")).isEqualTo(n + 4);
      assertThat(problem.getString("type")).isEqualTo("service-unavailable");
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM company_events WHERE external_ref LIKE 'many-"
                      + run
                      + "-%'"))
          .isEqualTo(n);
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM company_events WHERE external_ref = '" + refused + "'"))
          .isZero();
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM company_events WHERE external_ref = 'open-"
                      + run
                      + "' AND closed_on = DATE '2026-06-10'"))
          .isEqualTo(1);
      // every score change the answer reports has its history row, caused by its fact
      long reported = 0;
      for (int i = 0; i < n; i++) {
        JsonObject item = results.getJsonObject(i);
        if (item.containsKey("score")) {
          reported++;
          assertThat(
                  TestPostgres.count(
                      "SELECT count(*) FROM score_history WHERE cause = 'event'"
                          + " AND cause_event_id = "
                          + item.getLong("event_id")))
              .isEqualTo(1);
        }
      }
      assertThat(reported).isPositive();
    } finally {
      TestPostgres.execute("ALTER TABLE company_events DROP CONSTRAINT events_it_refuses_" + run);
    }
  }

  @Test
  void theFactsOfOneCallShareATransaction() {
    String run = Long.toString(System.nanoTime());
    int n = 40;
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insertHealthy(siren, "Queued " + i);
      body.append(incident(siren, "queued-" + run + "-" + i));
    }
    String metricsBefore = gateway.get("/metrics").body();

    HttpResponse<String> r = postEvents(provider, body.toString(), "application/x-ndjson");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getInteger("accepted")).isEqualTo(n);
    // the call's facts queue together before any starts (fewer than factsPerTransaction): one
    // transaction, not the first few alone and the rest behind them
    String metricsAfter = gateway.get("/metrics").body();
    double transactions =
        metric(metricsAfter, "scoregate_facts_transaction_facts_count")
            - metric(metricsBefore, "scoregate_facts_transaction_facts_count");
    double facts =
        metric(metricsAfter, "scoregate_facts_transaction_facts_sum")
            - metric(metricsBefore, "scoregate_facts_transaction_facts_sum");
    assertThat(facts).isEqualTo(n);
    assertThat(transactions).isEqualTo(1);
  }

  private static String incident(String siren, String externalRef) {
    return "{\"siren\":\""
        + siren
        + "\",\"kind\":\"payment_incident\",\"external_ref\":\""
        + externalRef
        + "\",\"amount\":5000,\"days_late\":40,\"occurred_on\":\"2026-06-01\"}\n";
  }

  /** A sample's value in a Prometheus scrape (0 when absent). */
  private static double metric(String scrape, String name) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void anUnknownCompanyIsRefusedWithItsOwnCode() {
    HttpResponse<String> r =
        event(
            "{\"siren\":\""
                + TestCompanies.newSiren()
                + "\",\"kind\":\"payment_incident\",\"external_ref\":\""
                + ref()
                + "\",\"amount\":100,\"occurred_on\":\"2026-06-01\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(new JsonObject(r.body()).getString("type")).endsWith("/unknown-company");
  }

  @Test
  void anInvalidEventNamesEveryBadField() {
    HttpResponse<String> r =
        event(
            "{\"siren\":\"123456789\",\"kind\":\"insolvency_proceeding\","
                + "\"proceeding_kind\":\"faillite\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonArray errors = new JsonObject(r.body()).getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")))
        .contains("siren", "external_ref", "proceeding_kind", "opened_on");
  }

  @Test
  void writingEventsNeedsTheEventsScope() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Scope SAS");

    HttpResponse<String> r =
        postEvents(
            gateway.apiKey(),
            "{\"siren\":\""
                + siren
                + "\",\"kind\":\"status_changed\",\"external_ref\":\""
                + ref()
                + "\",\"status\":\"ceased\",\"occurred_on\":\"2026-06-01\"}",
            "application/json");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(
            TestPostgres.string("SELECT status FROM companies WHERE national_id = '" + siren + "'"))
        .isEqualTo("active");
  }

  @Test
  void historyComesNewestFirstByPages() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Pages SAS");
    score(siren);
    for (int i = 0; i < 3; i++) {
      String kind = i % 2 == 0 ? "ceased" : "active";
      CLOCK.advance(Duration.ofMinutes(1));
      HttpResponse<String> r =
          event(
              "{\"siren\":\""
                  + siren
                  + "\",\"kind\":\"status_changed\",\"external_ref\":\""
                  + ref()
                  + "\",\"status\":\""
                  + kind
                  + "\",\"occurred_on\":\"2026-06-1"
                  + i
                  + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    HttpResponse<String> first = gateway.get("/api/v1/companies/FR/" + siren + "/history?limit=2");
    JsonObject page = new JsonObject(first.body());
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getJsonArray("items").getJsonObject(0).getInteger("score")).isZero();
    assertThat(page.getString("next")).isNotNull();
    JsonObject rest =
        new JsonObject(
            gateway
                .get(
                    "/api/v1/companies/FR/"
                        + siren
                        + "/history?limit=2&cursor="
                        + page.getString("next"))
                .body());
    assertThat(rest.getJsonArray("items")).hasSize(1);
    assertThat(rest.getJsonArray("items").getJsonObject(0).getInteger("score")).isZero();
    assertThat(rest.getString("next")).isNull();
    assertThat(gateway.get("/api/v1/companies/FR/" + siren + "/history?cursor=nope").statusCode())
        .isEqualTo(422);
    // A valid identifier of no company on file is a 404, as its score is; a company on file
    // without changes yet has an empty history.
    HttpResponse<String> unknown =
        gateway.get("/api/v1/companies/FR/" + TestCompanies.newSiren() + "/history");
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("type")).isEqualTo("/problems/not-found");
    String quiet = TestCompanies.newSiren();
    TestCompanies.insertHealthy(quiet, "Quiet History SAS");
    HttpResponse<String> none = gateway.get("/api/v1/companies/FR/" + quiet + "/history");
    assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
    assertThat(new JsonObject(none.body()).getJsonArray("items")).isEmpty();
  }

  @Test
  void aBulkCallIsNotHeldToTheApisSmallBodyLimit() {
    StringBuilder body = new StringBuilder();
    String[] sirens = new String[4];
    for (int c = 0; c < sirens.length; c++) {
      sirens[c] = TestCompanies.newSiren();
      TestCompanies.insertHealthy(sirens[c], "Bulk " + c);
    }
    for (int i = 0; i < 200; i++) {
      body.append("{\"siren\":\"")
          .append(sirens[i % sirens.length])
          .append("\",\"kind\":\"payment_incident\",\"external_ref\":\"bulk-")
          .append(ref())
          .append("\",\"amount\":")
          .append(100 + i)
          .append(",\"days_late\":30,\"occurred_on\":\"2026-06-01\"}\n");
    }
    assertThat((long) body.length()).isGreaterThan(gateway.config().http().bodyLimitBytes());

    HttpResponse<String> r = postEvents(provider, body.toString(), "application/x-ndjson");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getInteger("accepted")).isEqualTo(200);
  }
}
