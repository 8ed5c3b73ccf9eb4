package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.company.CompanyKey;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision path end to end: Postgres, the model verticle, the cache, the policy, the journal.
 * Each test has its own gateway and clock (its own score cache): tests that move time cannot change
 * what another one sees.
 */
class ScoringIT {

  private static final Instant START = Instant.parse("2026-06-15T10:00:00Z");
  private ManualClock clock;
  private TestGateway gateway;

  @BeforeAll
  static void schema() {
    TestPostgres.ensureSchema();
  }

  @BeforeEach
  void start() {
    clock = new ManualClock(START);
    gateway = TestGateway.start(clock, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private HttpResponse<String> decide(String siren, long amount, int term) {
    return gateway.post(
        "/api/v1/scoring",
        "{\"siren\":\"" + siren + "\",\"amount\":" + amount + ",\"payment_term\":" + term + "}");
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return new JsonObject(response.body());
  }

  private static List<String> codes(JsonObject answer) {
    JsonArray reasons = answer.getJsonArray("reasons");
    return reasons.stream().map(r -> ((JsonObject) r).getString("code")).toList();
  }

  @Test
  void aDecisionHasTheContractFieldsAndIsJournaledBeforeTheAnswer() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Contract Test SAS");

    JsonObject answer = ok(decide(siren, 50_000, 60));

    assertThat(answer.getInteger("score")).isBetween(0, 100);
    assertThat(answer.getString("risk_level")).isIn("low", "medium", "high", "very_high");
    assertThat(answer.getString("recommendation"))
        .isIn("accept", "accept_with_monitoring", "manual_review", "refuse");
    assertThat(answer.getDouble("pd")).isBetween(0.0, 1.0);
    assertThat(answer.getLong("max_amount")).isNotNegative();
    assertThat(answer.getInteger("max_payment_term")).isNotNegative();
    assertThat(answer.getJsonArray("reasons")).isNotEmpty();
    JsonObject first = answer.getJsonArray("reasons").getJsonObject(0);
    assertThat(first.getString("text")).isNotBlank();
    assertThat(first.getString("text_fr")).isNotBlank();
    assertThat(answer.getString("model_version")).isNotBlank();
    assertThat(answer.getString("policy_version")).isEqualTo("policy-2026.11");
    assertThat(answer.getString("data_as_of")).isEqualTo("2025-12-31");
    assertThat(answer.getString("evaluated_at")).isEqualTo("2026-06-15T10:00:00Z");
    assertThat(answer.getJsonObject("company").getString("name")).isEqualTo("Contract Test SAS");
    UUID id = UUID.fromString(answer.getString("decision_id"));
    assertThat(id.version()).isEqualTo(7);

    // Durable before the answer: the row is there the moment the answer is.
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM decision_journal WHERE decision_id = '" + id + "'"))
        .isEqualTo(1);

    JsonObject record = ok(gateway.get("/api/v1/decisions/" + id));
    assertThat(record.getString("decision_id")).isEqualTo(id.toString());
    assertThat(record.getString("recommendation")).isEqualTo(answer.getString("recommendation"));
    assertThat(record.getString("tenant_id")).isEqualTo(gateway.tenantId());
    assertThat(record.getJsonObject("requested").getDouble("amount")).isEqualTo(50_000.0);
    assertThat(record.getJsonObject("features").getDouble("Attr2")).isNotNull();
    assertThat(record.getJsonObject("journal").getLong("seq")).isPositive();
  }

  @Test
  void theScoreEndpointAnswersWithoutADecision() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Score Read SAS");
    long before = TestPostgres.count("SELECT count(*) FROM decision_journal");

    JsonObject score = ok(gateway.get("/api/v1/companies/FR/" + siren + "/score"));

    assertThat(score.getInteger("score")).isBetween(0, 100);
    assertThat(score.getJsonArray("reasons")).isNotEmpty();
    assertThat(score.containsKey("recommendation")).isFalse();
    assertThat(TestPostgres.count("SELECT count(*) FROM decision_journal")).isEqualTo(before);
    // The current score is kept in Postgres for monitoring (written without holding the answer).
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                TestPostgres.count(
                        "SELECT count(*) FROM company_scores s JOIN companies c ON c.id = s.company_id"
                            + " WHERE c.national_id = '"
                            + siren
                            + "' AND s.score = "
                            + score.getInteger("score"))
                    == 1);
  }

  @Test
  void aCachedScoreIsServedUntilItsTtlThenReloaded() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Before Rename SAS");
    assertThat(ok(decide(siren, 1000, 30)).getJsonObject("company").getString("name"))
        .isEqualTo("Before Rename SAS");

    TestPostgres.execute(
        "UPDATE companies SET name = 'After Rename SAS' WHERE national_id = '" + siren + "'");
    // Hit: Postgres is not read again.
    assertThat(ok(decide(siren, 1000, 30)).getJsonObject("company").getString("name"))
        .isEqualTo("Before Rename SAS");

    clock.advance(Duration.ofSeconds(901));
    // Miss after the TTL: the new name comes from Postgres.
    assertThat(ok(decide(siren, 1000, 30)).getJsonObject("company").getString("name"))
        .isEqualTo("After Rename SAS");
  }

  private static boolean scoreStored(String siren) {
    return TestPostgres.count(
            "SELECT count(*) FROM company_scores s JOIN companies c ON c.id = s.company_id"
                + " WHERE c.national_id = '"
                + siren
                + "'")
        == 1;
  }

  private static String storedScore(String siren, String columns) {
    return TestPostgres.string(
        "SELECT "
            + columns
            + " FROM company_scores s JOIN companies c ON c.id = s.company_id"
            + " WHERE c.national_id = '"
            + siren
            + "'");
  }

  @Test
  void aMissThatFindsItsScoreOnFileAlreadyLeavesTheRowUntouched() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Same Score SAS");
    JsonObject first = ok(decide(siren, 1000, 30));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> scoreStored(siren));
    String row = storedScore(siren, "s.xmin::text || '/' || s.xmax::text || '/' || s.computed_at");

    clock.advance(Duration.ofSeconds(901));
    JsonObject second = ok(decide(siren, 1000, 30));

    // A miss (evaluated again) with the same score: no upsert, so no new row version (xmin) and
    // no row lock (xmax) either; the row still says since when the company has had this score.
    assertThat(second.getString("evaluated_at")).isNotEqualTo(first.getString("evaluated_at"));
    assertThat(second.getInteger("score")).isEqualTo(first.getInteger("score"));
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                row.equals(
                    storedScore(
                        siren, "s.xmin::text || '/' || s.xmax::text || '/' || s.computed_at")));
  }

  @Test
  void aMissWhoseScoreDiffersFromTheOneOnFileWritesIt() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Other Score SAS");
    ok(decide(siren, 1000, 30));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> scoreStored(siren));
    String model = storedScore(siren, "s.model_version");
    TestPostgres.execute(
        "UPDATE company_scores SET model_version = 'older' WHERE company_id ="
            + " (SELECT id FROM companies WHERE national_id = '"
            + siren
            + "')");

    clock.advance(Duration.ofSeconds(901));
    ok(decide(siren, 1000, 30));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> model.equals(storedScore(siren, "s.model_version")));
  }

  /** The outcome of an assessment asked on one of the gateway's event loops. */
  private EncodedAssessment assessOnLoop(String siren, long deadline) throws Exception {
    AssessmentService assessments = gateway.gateway().assessments();
    CompletableFuture<EncodedAssessment> out = new CompletableFuture<>();
    gateway
        .gateway()
        .vertx()
        .runOnContext(
            v ->
                assessments
                    .assessEncoded(new CompanyKey("FR", siren), deadline)
                    .onComplete(
                        r -> {
                          if (r.succeeded()) {
                            out.complete(r.result());
                          } else {
                            out.completeExceptionally(r.cause());
                          }
                        }));
    try {
      return out.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private double shed(String stage) {
    String scrape = gateway.get("/metrics").body();
    String prefix = "scoregate_assessments_shed_total{stage=\"" + stage + "\"";
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void aMissPastItsCallsDeadlineIsShedBeforeTheCompanyReadAndLeavesNothingBehind()
      throws Exception {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Late Call SAS");
    double before = shed("read");

    assertThatThrownBy(() -> assessOnLoop(siren, System.nanoTime() - 1))
        .isInstanceOf(LateCallException.class)
        .extracting(e -> ((LateCallException) e).status())
        .isEqualTo(503);

    // Not read, not scored, not recorded, not cached: the next call on time does all of it.
    assertThat(shed("read")).isEqualTo(before + 1);
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM assessments WHERE national_id = '" + siren + "'"))
        .isZero();
    assertThat(scoreStored(siren)).isFalse();
    JsonObject answer = ok(decide(siren, 1000, 30));
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM assessments WHERE national_id = '" + siren + "'"))
        .isEqualTo(1);

    // A cached assessment costs nothing: it is served to a late call all the same.
    EncodedAssessment cached = assessOnLoop(siren, System.nanoTime() - 1);
    assertThat(cached.assessment().score()).isEqualTo(answer.getInteger("score"));
    assertThat(shed("read")).isEqualTo(before + 1);
  }

  @Test
  void anUnknownCompanyIsRememberedBrieflySoItCannotHammerPostgres() {
    String siren = TestCompanies.newSiren();
    assertThat(decide(siren, 1000, 30).statusCode()).isEqualTo(404);

    TestCompanies.insertHealthy(siren, "Late Arrival SAS");
    assertThat(decide(siren, 1000, 30).statusCode()).isEqualTo(404);

    clock.advance(Duration.ofSeconds(61));
    assertThat(decide(siren, 1000, 30).statusCode()).isEqualTo(200);
  }

  @Test
  void anOpenRedressementJudiciaireIsRefusedWithItsReason() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Redressement SAS");
    TestCompanies.insertProceeding(siren, "redressement_judiciaire", "2026-03-02");

    JsonObject answer = ok(decide(siren, 10_000, 30));

    assertThat(answer.getString("recommendation")).isEqualTo("refuse");
    assertThat(answer.getString("risk_level")).isEqualTo("very_high");
    assertThat(answer.getLong("max_amount")).isZero();
    assertThat(codes(answer).get(0)).contains("INSOLVENCY").contains("REDRESSEMENT");
  }

  @Test
  void liquidationMeansScoreZeroAndRefuse() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Liquidation SAS");
    TestCompanies.insertProceeding(siren, "liquidation_judiciaire", "2026-01-20");

    JsonObject answer = ok(decide(siren, 10_000, 30));

    assertThat(answer.getInteger("score")).isZero();
    assertThat(answer.getString("recommendation")).isEqualTo("refuse");
    assertThat(codes(answer).get(0)).isEqualTo("INSOLVENCY_LIQUIDATION_JUDICIAIRE");
  }

  @Test
  void recentPaymentIncidentsNotchTheLevelDownWithTheirReason() {
    String clean = TestCompanies.newSiren();
    String late = TestCompanies.newSiren();
    TestCompanies.insertHealthy(clean, "Pays On Time SAS");
    TestCompanies.insertHealthy(late, "Pays Late SAS");
    TestCompanies.insertIncident(late, "2026-04-10", 12_500, 45);
    TestCompanies.insertIncident(late, "2024-01-10", 3_000, 20); // outside the 12 months

    JsonObject cleanAnswer = ok(decide(clean, 1000, 30));
    JsonObject lateAnswer = ok(decide(late, 1000, 30));

    List<String> levels = List.of("low", "medium", "high", "very_high");
    int cleanLevel = levels.indexOf(cleanAnswer.getString("risk_level"));
    assertThat(levels.indexOf(lateAnswer.getString("risk_level")))
        .isEqualTo(Math.min(3, cleanLevel + 1));
    assertThat(lateAnswer.getInteger("score")).isLessThanOrEqualTo(cleanAnswer.getInteger("score"));
    assertThat(codes(lateAnswer).get(0)).isEqualTo("PAYMENT_INCIDENTS_12M");
    assertThat(lateAnswer.getJsonArray("reasons").getJsonObject(0).getString("text"))
        .startsWith("1 payment incident ");
  }

  @Test
  void noStatementsOnFileMeansManualReviewForInsufficientData() {
    String siren = TestCompanies.newSiren();
    TestPostgres.execute(
        "INSERT INTO companies (country, national_id, name) VALUES ('FR', '"
            + siren
            + "', 'New Company SAS')");

    JsonObject answer = ok(decide(siren, 1000, 30));

    assertThat(answer.getString("recommendation")).isEqualTo("manual_review");
    assertThat(answer.getValue("score")).isNull();
    assertThat(codes(answer)).contains("INSUFFICIENT_DATA");
  }

  @Test
  void askingMoreThanTheLimitOrALongerTermIsAtBestManualReview() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Big Ticket SAS");
    JsonObject small = ok(decide(siren, 1000, 30));
    // A healthy company is granted credit, so there is a limit to go over.
    assertThat(small.getString("recommendation")).isIn("accept", "accept_with_monitoring");
    long limit = small.getLong("max_amount");
    assertThat(limit).isPositive();
    assertThat(small.getInteger("max_payment_term")).isLessThan(365);

    JsonObject big = ok(decide(siren, limit + 1_000_000, 30));
    JsonObject longTerm = ok(decide(siren, 1000, 365));

    assertThat(big.getString("recommendation")).isEqualTo("manual_review");
    assertThat(codes(big)).contains("AMOUNT_ABOVE_LIMIT");
    assertThat(longTerm.getString("recommendation")).isEqualTo("manual_review");
    assertThat(codes(longTerm)).contains("PAYMENT_TERM_ABOVE_LIMIT");
  }
}
