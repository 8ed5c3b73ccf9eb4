package io.scoregate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.company.BodaccImport;
import io.scoregate.company.FactSink;
import io.scoregate.company.OpenDataReport;
import io.scoregate.company.SireneImport;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BODACC and SIRENE samples of src/test/resources/opendata (written from the datasets'
 * published formats), imported through the gateway's fact path. Each run gives the samples' SIRENs
 * and announcement ids fresh values, so runs never meet in the shared test database.
 */
class OpenDataImportIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static TestGateway gateway;
  private static FactSink sink;
  private static Vertx vertx;
  private static Pool pool;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(CLOCK, Map.of());
    FactService facts = gateway.gateway().facts();
    sink = event -> facts.ingest(event).map(outcome -> !outcome.duplicate());
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    vertx.close();
    gateway.close();
  }

  /** The sample with each of its SIRENs (spaced or not) and ids given a value of this run. */
  private Path fresh(String sample, Map<String, String> sirens) throws Exception {
    String text =
        new String(
            getClass().getResourceAsStream("/opendata/" + sample).readAllBytes(),
            StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : sirens.entrySet()) {
      text =
          text.replace(e.getKey(), e.getValue()).replace(spaced(e.getKey()), spaced(e.getValue()));
    }
    String run = Long.toString(System.nanoTime(), 36);
    text = text.replace("\"id\": \"", "\"id\": \"" + run + "-");
    Path file = dir.resolve(sample);
    Files.writeString(file, text);
    return file;
  }

  private static String spaced(String siren) {
    return siren.substring(0, 3) + " " + siren.substring(3, 6) + " " + siren.substring(6);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int score(String siren) {
    return new io.vertx.core.json.JsonObject(
            gateway.get("/api/v1/companies/FR/" + siren + "/score").body())
        .getInteger("score");
  }

  @Test
  void bodaccCollectiveAnnouncementsBecomeProceedingsAndTheRestIsCounted() throws Exception {
    String ateliers = TestCompanies.newSiren();
    String negoce = TestCompanies.newSiren();
    TestCompanies.insertHealthy(ateliers, "Ateliers Exemple");
    TestCompanies.insertHealthy(negoce, "Negoce Modele");
    int healthy = score(negoce);
    Map<String, String> sirens = new LinkedHashMap<>();
    sirens.put("081234700", ateliers);
    sirens.put("081234742", negoce);
    Path file = fresh("bodacc-annonces-commerciales-sample.json", sirens);

    OpenDataReport report = await(BodaccImport.run(file, sink, 8));

    assertThat(report.read()).isEqualTo(10);
    assertThat(report.facts()).isEqualTo(4);
    assertThat(report.skipped())
        .containsEntry("family creation", 1L)
        .containsEntry("family radiation", 1L)
        .containsEntry("family dpc", 1L)
        .containsEntry("collective judgement that opens or closes no proceeding", 1L)
        .containsEntry("company not on file", 1L);
    assertThat(report.rejected()).isEqualTo(1);
    // Redressement, then converted into liquidation: refused, score 0.
    assertThat(score(ateliers)).isZero();
    assertThat(
            TestPostgres.string(
                "SELECT string_agg(proceeding_kind || ':' || coalesce(court, ''), ',' ORDER BY"
                    + " occurred_on) FROM company_events e JOIN companies c ON c.id = e.company_id"
                    + " WHERE c.national_id = '"
                    + ateliers
                    + "' AND e.source = 'bodacc'"))
        .isEqualTo(
            "redressement_judiciaire:Tribunal de commerce de Lyon,"
                + "liquidation_judiciaire:Tribunal de commerce de Lyon");
    // Safeguard opened, then closed: the proceeding no longer weighs on the score.
    assertThat(score(negoce)).isEqualTo(healthy);
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM score_history h JOIN companies c ON c.id = h.company_id"
                    + " WHERE c.national_id = '"
                    + negoce
                    + "' AND h.cause = 'event'"))
        .isEqualTo(2);

    OpenDataReport replay = await(BodaccImport.run(file, sink, 8));
    assertThat(replay.facts()).isZero();
    assertThat(replay.duplicates()).isEqualTo(4);
  }

  @Test
  void bodaccNdjsonReadsLikeTheJsonExport() throws Exception {
    String ateliers = TestCompanies.newSiren();
    String negoce = TestCompanies.newSiren();
    TestCompanies.insertHealthy(ateliers, "Ateliers Exemple");
    TestCompanies.insertHealthy(negoce, "Negoce Modele");
    Path file =
        fresh(
            "bodacc-annonces-commerciales-sample.ndjson",
            Map.of("081234700", ateliers, "081234742", negoce));

    OpenDataReport report = await(BodaccImport.run(file, sink, 8));

    assertThat(report.read()).isEqualTo(3);
    assertThat(report.facts()).isEqualTo(3);
    assertThat(score(ateliers)).isZero();
  }

  @Test
  void sireneCreatesAndUpdatesCompaniesAndACeasedOneIsAFact() throws Exception {
    Map<String, String> sirens = new LinkedHashMap<>();
    for (String sample :
        new String[] {"081234700", "081234742", "081234791", "081234833", "081234924"}) {
      sirens.put(sample, TestCompanies.newSiren());
    }
    String ceasing = sirens.get("081234742");
    TestCompanies.insertHealthy(ceasing, "Old name");
    assertThat(score(ceasing)).isPositive();
    Path file = fresh("StockUniteLegale-sample.csv", sirens);

    OpenDataReport report = await(SireneImport.run(pool, file, sink, 3, 8));

    assertThat(report.read()).isEqualTo(7);
    assertThat(report.companiesInserted()).isEqualTo(4);
    assertThat(report.companiesUpdated()).isEqualTo(1);
    assertThat(report.rejected()).as(report.toString()).isEqualTo(2);
    assertThat(report.facts()).isEqualTo(1);
    assertThat(score(ceasing)).isZero();
    assertThat(
            TestPostgres.string(
                "SELECT name || '|' || legal_form || '|' || sector || '|' || status FROM companies"
                    + " WHERE national_id = '"
                    + ceasing
                    + "'"))
        .isEqualTo("NEGOCE MODELE|SARL|46.69B|ceased");
    assertThat(
            TestPostgres.string(
                "SELECT name || '|' || legal_form || '|' || created_on FROM companies WHERE"
                    + " national_id = '"
                    + sirens.get("081234791")
                    + "'"))
        .isEqualTo("JEAN DUPONT|EI|2026-01-02");
    assertThat(
            TestPostgres.string(
                "SELECT name FROM companies WHERE national_id = '" + sirens.get("081234924") + "'"))
        .isEqualTo("CONSEIL, ETUDES ET ASSOCIES");

    OpenDataReport replay = await(SireneImport.run(pool, file, sink, 3, 8));
    assertThat(replay.facts()).isZero();
    assertThat(replay.companiesInserted() + replay.companiesUpdated()).isZero();
  }
}
