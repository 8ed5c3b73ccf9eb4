package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Analytics, regulatory figures and exports of a five-member portfolio whose figures are worked out
 * by hand below, against a real gateway and Postgres.
 *
 * <pre>
 * member  sector   region     exposure      pd     level      stage (why)
 * A       25.62A C Bretagne     100000.00   0.010  medium     1
 * B       41.20A F Bretagne     250000.50   0.050  high       2 (45 days past due)
 * C       47.11F G Occitanie      5000.25   0.002  low        1 (PD x4, but +0.15 pt only)
 * D       25.11Z C Occitanie   1200000.00   0.200  very_high  3 (open proceeding)
 * E       (none)   (none)         7000.00   -      unscored   -
 * </pre>
 */
class ReportingIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-20T09:00:00Z"));
  private static TestGateway gateway;
  private static UUID portfolio;
  private static String otherKey;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway =
        TestGateway.start(
            CLOCK,
            // Regulatory passes and exports are no hot path: a loaded test machine may take
            // seconds.
            Map.of(
                "SCOREGATE_REPORTING_SNAPSHOT_CHECK_MS",
                "200",
                "SCOREGATE_HTTP_REQUEST_TIMEOUT_MS",
                "15000"));
    String other = "rep-other-" + System.nanoTime();
    otherKey = TestTenants.create(gateway.config(), other, "scoring,portfolios", 1000, 1_000_000);
    TestPostgres.execute(
        "UPDATE tenants SET scopes = '{scoring,portfolios}' WHERE id = '"
            + gateway.tenantId()
            + "'");
    portfolio = TestPortfolios.create(gateway.tenantId(), "Suppliers");
    String b = member("REF-A", "25.62A", "Bretagne", "100000.00", 0.010, "G5", "medium", 60, 0.01);
    b = member("REF-B", "41.20A", "Bretagne", "250000.50", 0.050, "G7", "high", 30, 0.04);
    TestCompanies.insertIncident(b, "2026-10-01", 12_000, 45);
    member("REF-C", "47.11F", "Occitanie", "5000.25", 0.002, "G2", "low", 90, 0.0005);
    String d =
        member("REF-D", "25.11Z", "Occitanie", "1200000.00", 0.200, "G9", "very_high", null, 0.10);
    TestCompanies.insertProceeding(d, "redressement_judiciaire", "2026-09-15");
    member("REF-E", null, null, "7000.00", null, null, null, 60, null);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static String member(
      String reference,
      String sector,
      String region,
      String exposure,
      Double pd,
      String grade,
      String level,
      Integer term,
      Double originationPd) {
    return TestPortfolios.member(
        portfolio, reference, sector, region, exposure, pd, 50, grade, level, term, originationPd);
  }

  private static JsonObject get(String path) {
    HttpResponse<String> r = gateway.get("/api/v1/portfolios/" + portfolio + path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void summaryToTheCent() {
    JsonObject s = get("/summary");
    assertThat(s.getInteger("members")).isEqualTo(5);
    assertThat(s.getInteger("scored")).isEqualTo(4);
    assertThat(s.getString("exposure")).isEqualTo("1562000.75");
    assertThat(s.getString("unscored_exposure")).isEqualTo("7000.00");
    // 100000*0.01*0.45 + 250000.50*0.05*0.45 + 5000.25*0.002*0.45 + 1200000*0.2*0.45
    // = 450 + 5625.01125 + 4.500225 + 108000 = 114079.511475
    assertThat(s.getString("expected_loss")).isEqualTo("114079.51");
    assertThat(s.getJsonObject("portfolio").getString("name")).isEqualTo("Suppliers");
  }

  @Test
  void distributionByLevelInScaleOrderAndByGrade() {
    JsonObject d = get("/distribution");
    JsonArray levels = d.getJsonArray("by_level");
    assertThat(levels.stream().map(o -> ((JsonObject) o).getString("key")))
        .containsExactly("low", "medium", "high", "very_high", "unscored");
    assertThat(levels.getJsonObject(2).getString("exposure")).isEqualTo("250000.50");
    assertThat(levels.getJsonObject(4).getString("exposure")).isEqualTo("7000.00");
    assertThat(d.getJsonArray("by_grade").stream().map(o -> ((JsonObject) o).getString("key")))
        .containsExactly("G2", "G5", "G7", "G9", "unscored");
  }

  @Test
  void concentrationBySectionDivisionAndRegionWithHhi() {
    JsonObject section = get("/concentration?by=section");
    JsonArray groups = section.getJsonArray("groups");
    assertThat(groups.getJsonObject(0).getString("key")).isEqualTo("C");
    assertThat(groups.getJsonObject(0).getString("exposure")).isEqualTo("1300000.00");
    assertThat(groups.getJsonObject(0).getInteger("count")).isEqualTo(2);
    double total = 1_562_000.75;
    double hhi =
        10_000
            * (Math.pow(1_300_000 / total, 2)
                + Math.pow(250_000.50 / total, 2)
                + Math.pow(5_000.25 / total, 2)
                + Math.pow(7_000 / total, 2));
    assertThat(section.getDouble("hhi")).isCloseTo(hhi, within(0.01));

    JsonArray divisions = get("/concentration?by=division").getJsonArray("groups");
    assertThat(divisions.stream().map(o -> ((JsonObject) o).getString("key")))
        .containsExactly("25", "41", "unknown", "47");

    JsonArray regions = get("/concentration?by=region").getJsonArray("groups");
    assertThat(regions.getJsonObject(0).getString("key")).isEqualTo("Occitanie");
    assertThat(regions.getJsonObject(0).getString("exposure")).isEqualTo("1205000.25");

    HttpResponse<String> bad =
        gateway.get("/api/v1/portfolios/" + portfolio + "/concentration?by=x");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("\"by\"");
  }

  @Test
  void matrixPutsTheLargeWeakCornerFirst() {
    JsonObject m = get("/matrix");
    JsonObject first = m.getJsonArray("rows").getJsonObject(0);
    assertThat(first.getString("risk_level")).isEqualTo("very_high");
    JsonObject corner = first.getJsonArray("cells").getJsonObject(0);
    assertThat(corner.getInteger("band")).isEqualTo(4);
    assertThat(corner.getInteger("count")).isEqualTo(1);
    assertThat(corner.getString("exposure")).isEqualTo("1200000.00");
    assertThat(m.getJsonArray("bands").getJsonObject(0).getString("from")).isEqualTo("1000000.00");
    // high: B alone, 250,000.50 in the 250k-1M band (band 3, second cell of its row).
    JsonObject high = m.getJsonArray("rows").getJsonObject(1);
    assertThat(high.getString("risk_level")).isEqualTo("high");
    assertThat(high.getJsonArray("cells").getJsonObject(1).getString("exposure"))
        .isEqualTo("250000.50");
    // unscored E and low C both sit in band 0 of their rows.
    JsonObject unscored = m.getJsonArray("rows").getJsonObject(4);
    assertThat(unscored.getString("risk_level")).isEqualTo("unscored");
    assertThat(unscored.getJsonArray("cells").getJsonObject(4).getString("exposure"))
        .isEqualTo("7000.00");
  }

  @Test
  void largestExposuresWithTheirScores() {
    JsonArray top = get("/exposures?limit=2").getJsonArray("exposures");
    assertThat(top).hasSize(2);
    assertThat(top.getJsonObject(0).getString("reference")).isEqualTo("REF-D");
    assertThat(top.getJsonObject(0).getString("risk_level")).isEqualTo("very_high");
    assertThat(top.getJsonObject(1).getString("reference")).isEqualTo("REF-B");
    assertThat(gateway.get("/api/v1/portfolios/" + portfolio + "/exposures?limit=0").statusCode())
        .isEqualTo(422);
  }

  @Test
  void regulatoryFiguresFromTheMembers() {
    JsonObject r = get("/regulatory");
    JsonArray stages = r.getJsonObject("ifrs9").getJsonArray("stages");
    assertThat(stages.getJsonObject(0).getLong("count")).isEqualTo(2);
    assertThat(stages.getJsonObject(1).getLong("count")).isEqualTo(1);
    assertThat(stages.getJsonObject(2).getLong("count")).isEqualTo(1);
    assertThat(stages.getJsonObject(2).getString("exposure")).isEqualTo("1200000.00");
    // General approach: A and C 12-month (cut at their terms), B lifetime over 30 days, D: LGD.
    double a = (1 - Math.pow(0.99, 60 / 365.0)) * 0.45 * 100_000;
    double b = (1 - Math.pow(0.95, 30 / 365.0)) * 0.45 * 250_000.50;
    double c = (1 - Math.pow(0.998, 90 / 365.0)) * 0.45 * 5_000.25;
    double d = 0.45 * 1_200_000;
    assertThat(Double.parseDouble(r.getJsonObject("ifrs9").getString("general_ecl")))
        .isCloseTo(a + b + c + d, within(0.01));
    // Trade receivables: every member over its remaining term; the same here, as no term exceeds
    // a year.
    assertThat(Double.parseDouble(r.getJsonObject("ifrs9").getString("simplified_ecl")))
        .isCloseTo(a + b + c + d, within(0.01));
    // Basel: D is in default (K = 0); the others at their PDs, no sales on file: no SME factor.
    BaselIrb irb = new BaselIrb(0.0005, 0.45, 2.5);
    double rwa =
        irb.rwa(0.01, null, 100_000)
            + irb.rwa(0.05, null, 250_000.50)
            + irb.rwa(0.002, null, 5_000.25);
    assertThat(Double.parseDouble(r.getJsonObject("basel3").getString("rwa")))
        .isCloseTo(rwa, within(0.01));
    // Solvency II: one PD group per grade, here one member each.
    var groups =
        List.of(
            new SolvencyCounterpartyRisk.Group(0.01, 45_000, 45_000.0 * 45_000),
            new SolvencyCounterpartyRisk.Group(0.05, 112_500.225, 112_500.225 * 112_500.225),
            new SolvencyCounterpartyRisk.Group(0.002, 2_250.1125, 2_250.1125 * 2_250.1125),
            new SolvencyCounterpartyRisk.Group(0.2, 540_000, 540_000.0 * 540_000));
    assertThat(Double.parseDouble(r.getJsonObject("solvency2").getString("scr")))
        .isCloseTo(SolvencyCounterpartyRisk.of(groups).scr(), within(0.01));
  }

  @Test
  void membersExportAsCsvAndNdjson() {
    HttpResponse<String> csv =
        gateway.get("/api/v1/portfolios/" + portfolio + "/exports/members?format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(6);
    assertThat(lines[0])
        .startsWith("as_of,country,company_id,company_name,sector,naf_section,region,reference,")
        .endsWith(",model_version,policy_version");
    String b = java.util.Arrays.stream(lines).filter(l -> l.contains("REF-B")).findFirst().get();
    assertThat(b).contains(",250000.50,EUR,").contains(",0.05,G7,high,").contains(",2,");

    HttpResponse<String> ndjson =
        gateway.send(
            HttpRequest.newBuilder(
                    gateway.uri("/api/v1/portfolios/" + portfolio + "/exports/members"))
                .header("X-API-Key", gateway.apiKey())
                .header("Accept", "application/x-ndjson")
                .build());
    assertThat(ndjson.statusCode()).isEqualTo(200);
    List<JsonObject> rows = ndjson.body().lines().map(JsonObject::new).toList();
    assertThat(rows).hasSize(5);
    JsonObject d =
        rows.stream().filter(o -> o.getString("reference").equals("REF-D")).findFirst().get();
    assertThat(d.getInteger("ifrs9_stage")).isEqualTo(3);
    assertThat(d.getString("ifrs9_ecl_general")).isEqualTo("540000.00");
    assertThat(d.getString("exposure")).isEqualTo("1200000.00");
    JsonObject e =
        rows.stream().filter(o -> o.getString("reference").equals("REF-E")).findFirst().get();
    assertThat(e.getValue("score")).isNull();
    assertThat(e.getValue("ifrs9_stage")).isNull();
  }

  @Test
  void decisionsExportHoldsTheTenantsDecisionsOfThePeriod() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Decided SAS");
    List<String> ids = new java.util.ArrayList<>();
    for (int amount : new int[] {10_000, 20_000}) {
      HttpResponse<String> d =
          gateway.post(
              "/api/v1/scoring",
              "{\"siren\":\"" + siren + "\",\"amount\":" + amount + ",\"payment_term\":30}");
      assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
      ids.add(new JsonObject(d.body()).getString("decision_id"));
    }
    HttpResponse<String> csv =
        gateway.get("/api/v1/exports/decisions?from=2026-11-20&to=2026-11-20&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    // Two decisions of one millisecond: their order is the UUIDv7's, not the calls'.
    List<String> lines =
        csv.body().lines().filter(l -> l.contains(siren)).map(l -> l.replace("\"", "")).toList();
    assertThat(lines).hasSize(2);
    String first = lines.stream().filter(l -> l.startsWith(ids.get(0) + ",")).findFirst().get();
    assertThat(first).contains(",FR," + siren + ",10000,30,").contains(",1.1.0,");
    assertThat(lines).anyMatch(l -> l.startsWith(ids.get(1) + ",") && l.contains(",20000,30,"));
    assertThat(csv.body().lines().findFirst().orElse(""))
        .startsWith("decision_id,created_at,request_id,country,company_id,amount,");
    // Another tenant's export, and another period, hold none of them.
    HttpResponse<String> other =
        gateway.send(
            HttpRequest.newBuilder(
                    gateway.uri("/api/v1/exports/decisions?from=2026-11-20&to=2026-11-20"))
                .header("X-API-Key", otherKey)
                .build());
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).doesNotContain(siren);
    assertThat(gateway.get("/api/v1/exports/decisions?from=2026-11-21&to=2026-11-22").body())
        .doesNotContain(siren);
    assertThat(gateway.get("/api/v1/exports/decisions?from=2026-11-22&to=2026-11-21").statusCode())
        .isEqualTo(422);
  }

  @Test
  void snapshotsMakeTheEvolution() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/evolution?days=30").getJsonArray("snapshots").size() == 1);
    JsonObject snapshot = get("/evolution?days=30").getJsonArray("snapshots").getJsonObject(0);
    assertThat(snapshot.getString("date")).isEqualTo("2026-11-20");
    assertThat(snapshot.getString("exposure")).isEqualTo("1562000.75");
    assertThat(snapshot.getString("expected_loss")).isEqualTo("114079.51");
    assertThat(snapshot.getJsonObject("by_level").getJsonObject("high").getString("exposure"))
        .isEqualTo("250000.50");
  }

  @Test
  void figuresFollowScoresCompaniesAndMembers() {
    UUID moves = TestPortfolios.create(gateway.tenantId(), "Moves");
    String x =
        TestPortfolios.member(
            moves, "X", "25.62A", "Bretagne", "1000.00", 0.1, 30, "G8", "high", 60, 0.1);
    String y =
        TestPortfolios.member(
            moves, "Y", "47.11F", "Occitanie", "2000.00", 0.02, 60, "G4", "medium", 60, 0.02);
    // 0.45 x (1000 x 0.1 + 2000 x 0.02)
    assertThat(figures(moves, "/summary").getString("expected_loss")).isEqualTo("63.00");

    TestPostgres.execute(
        "UPDATE company_scores SET pd = 0.2, score = 20, grade = 'G9', risk_level = 'very_high'"
            + " WHERE company_id = "
            + TestPortfolios.companyId(x));
    assertThat(figures(moves, "/summary").getString("expected_loss")).isEqualTo("108.00");
    assertThat(keys(figures(moves, "/distribution").getJsonArray("by_level")))
        .containsExactly("medium", "very_high");
    assertThat(
            figures(moves, "/exposures?limit=2")
                .getJsonArray("exposures")
                .getJsonObject(1)
                .getString("risk_level"))
        .isEqualTo("very_high");

    TestPostgres.execute(
        "DELETE FROM portfolio_members WHERE portfolio_id = '"
            + moves
            + "' AND company_id = "
            + TestPortfolios.companyId(y));
    TestPostgres.execute(
        "UPDATE companies SET sector = '41.20A' WHERE id = " + TestPortfolios.companyId(x));
    for (int pass = 0; pass < 2; pass++) {
      JsonObject summary = figures(moves, "/summary");
      assertThat(summary.getInteger("members")).isEqualTo(1);
      assertThat(summary.getString("exposure")).isEqualTo("1000.00");
      assertThat(summary.getString("expected_loss")).isEqualTo("90.00");
      assertThat(keys(figures(moves, "/concentration?by=section").getJsonArray("groups")))
          .containsExactly("F");
      assertThat(keys(figures(moves, "/distribution").getJsonArray("by_level")))
          .containsExactly("very_high");
      // The same figures once the portfolio's cells are folded into one row each.
      TestPostgres.execute("SELECT compact_portfolio_cells('" + moves + "')");
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM portfolio_cells WHERE portfolio_id = '" + moves + "'"))
          .isEqualTo(1);
    }
  }

  @Test
  void lgdPerSectionInSql() {
    ReportingConfig config =
        new ReportingConfig(
            0.45,
            Map.of("C", 0.4, "F", 0.55),
            new ReportingConfig.Ifrs9Config(2.0, 0.005, 30, 90, 365, 60),
            new ReportingConfig.BaselConfig(0.0005, 0.45, 2.5),
            List.of(),
            1000,
            10,
            1,
            1000,
            100);
    assertThat(
            TestPostgres.string(
                "SELECT string_agg(("
                    + ReportingRepository.lgd(config, "s")
                    + ")::text, ',' ORDER BY n) FROM (VALUES (1, 'C'), (2, 'F'), (3, 'G'),"
                    + " (4, NULL)) v(n, s)"))
        .isEqualTo("0.4,0.55,0.45,0.45");
  }

  private static JsonObject figures(UUID portfolio, String path) {
    HttpResponse<String> r = gateway.get("/api/v1/portfolios/" + portfolio + path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> keys(JsonArray groups) {
    return groups.stream().map(o -> ((JsonObject) o).getString("key")).toList();
  }

  @Test
  void portfolioFiguresNeedThePortfoliosScope() {
    String bare = "rep-bare-" + System.nanoTime();
    String key = TestTenants.create(gateway.config(), bare, "scoring", 1000, 1_000_000);
    HttpResponse<String> r =
        gateway.send(
            HttpRequest.newBuilder(gateway.uri("/api/v1/portfolios/" + portfolio + "/summary"))
                .header("X-API-Key", key)
                .build());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("insufficient-scope").doesNotContain("Suppliers");
  }

  @Test
  void anotherTenantSeesNothing() {
    for (String path :
        List.of("/summary", "/distribution", "/matrix", "/regulatory", "/exports/members")) {
      HttpResponse<String> r =
          gateway.send(
              HttpRequest.newBuilder(gateway.uri("/api/v1/portfolios/" + portfolio + path))
                  .header("X-API-Key", otherKey)
                  .build());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).doesNotContain("Suppliers");
    }
    assertThat(gateway.get("/api/v1/portfolios/not-a-uuid/summary").statusCode()).isEqualTo(404);
  }
}
