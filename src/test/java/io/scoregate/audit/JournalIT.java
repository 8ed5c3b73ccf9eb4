package io.scoregate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal: group commit under concurrency, no answer without a record, tamper evidence. */
class JournalIT {

  private static TestGateway gateway;
  private static String siren;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Journal Test SAS");
    gateway = TestGateway.start(new ManualClock(Instant.parse("2026-06-15T10:00:00Z")), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> decide() {
    return gateway.post(
        "/api/v1/scoring", "{\"siren\":\"" + siren + "\",\"amount\":5000,\"payment_term\":30}");
  }

  private static JournalVerifier.Report verify() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestPostgres.pool(vertx);
      return new JournalVerifier(pool)
          .verify()
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
  }

  @Test
  void concurrentDecisionsAreAllJournaledInIntactChains() throws Exception {
    long before = TestPostgres.count("SELECT count(*) FROM decision_journal");
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 200)
            .mapToObj(i -> CompletableFuture.supplyAsync(JournalIT::decide))
            .toList();
    List<String> ids =
        calls.stream()
            .map(CompletableFuture::join)
            .peek(r -> assertThat(r.statusCode()).isEqualTo(200))
            .map(r -> new JsonObject(r.body()).getString("decision_id"))
            .toList();

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(TestPostgres.count("SELECT count(*) FROM decision_journal")).isEqualTo(before + 200);
    JournalVerifier.Report report = verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.rows()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void whenTheJournalCannotBeWrittenTheCallFailsWith503AndNothingIsAnswered() throws Exception {
    decide(); // the company's score is now cached: only the journal can fail
    TestPostgres.execute(
        "CREATE OR REPLACE FUNCTION journal_outage() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
        "CREATE TRIGGER journal_outage BEFORE INSERT ON decision_journal"
            + " FOR EACH ROW EXECUTE FUNCTION journal_outage()");
    long before;
    try {
      before = TestPostgres.count("SELECT count(*) FROM decision_journal");
      HttpResponse<String> response = decide();
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/problem+json");
      assertThat(response.body()).doesNotContain("disk full");
      assertThat(new JsonObject(response.body()).containsKey("decision_id")).isFalse();
      assertThat(TestPostgres.count("SELECT count(*) FROM decision_journal")).isEqualTo(before);
    } finally {
      TestPostgres.execute("DROP TRIGGER journal_outage ON decision_journal");
    }
    // Recovered: the writer re-reads its chain head and goes on without a gap.
    assertThat(decide().statusCode()).isEqualTo(200);
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void aTamperedRowBreaksTheChain() throws Exception {
    String id = new JsonObject(decide().body()).getString("decision_id");
    assertThat(verify().problems()).isEmpty();
    String original =
        TestPostgres.string(
            "SELECT record::text FROM decision_journal WHERE decision_id = '" + id + "'");
    try {
      TestPostgres.execute(
          "ALTER TABLE decision_journal DISABLE TRIGGER decision_journal_append_only",
          "UPDATE decision_journal SET record = replace(record::text, '\"accept', '\"refuse')::json"
              + " WHERE decision_id = '"
              + id
              + "'",
          "UPDATE decision_journal SET record = replace(record::text, '\"amount\":5000.0',"
              + " '\"amount\":50.0')::json WHERE decision_id = '"
              + id
              + "'");
      JournalVerifier.Report report = verify();
      assertThat(report.intact()).isFalse();
      assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains(id));
    } finally {
      TestPostgres.execute(
          "UPDATE decision_journal SET record = $rec$"
              + original
              + "$rec$::json"
              + " WHERE decision_id = '"
              + id
              + "'",
          "ALTER TABLE decision_journal ENABLE TRIGGER decision_journal_append_only");
    }
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void theJournalRefusesUpdatesAndDeletes() {
    String id = new JsonObject(decide().body()).getString("decision_id");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TestPostgres.execute(
                    "DELETE FROM decision_journal WHERE decision_id = '" + id + "'"))
        .hasMessageContaining("append-only");
  }
}
