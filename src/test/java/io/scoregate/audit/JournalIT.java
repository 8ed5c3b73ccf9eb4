package io.scoregate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
  private static String provider;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Journal Test SAS");
    // A long request timeout: 200 concurrent first calls on a shared test machine can take longer
    // than the default 2 s, and what is tested here is the journal, not latency.
    gateway =
        TestGateway.start(
            new ManualClock(Instant.parse("2026-06-15T10:00:00Z")),
            Map.of("SCOREGATE_HTTP_REQUEST_TIMEOUT_MS", "15000"));
    provider =
        TestTenants.create(
            gateway.config(), "jp" + System.nanoTime(), "scoring,events:write", 100_000, 1_000_000);
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
    String where = " WHERE decision_id = '" + id + "'";
    String recommendation =
        TestPostgres.string("SELECT recommendation FROM decision_journal" + where);
    String amount = TestPostgres.string("SELECT amount FROM decision_journal" + where);
    try {
      TestPostgres.execute(
          "ALTER TABLE decision_journal DISABLE TRIGGER decision_journal_append_only",
          "UPDATE decision_journal SET recommendation = 'refuse', amount = 50" + where);
      JournalVerifier.Report report = verify();
      assertThat(report.intact()).isFalse();
      assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains(id));
    } finally {
      TestPostgres.execute(
          "UPDATE decision_journal SET recommendation = '"
              + recommendation
              + "', amount = "
              + amount
              + where,
          "ALTER TABLE decision_journal ENABLE TRIGGER decision_journal_append_only");
    }
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void aTamperedDecidingRuleBreaksTheChain() throws Exception {
    JsonObject answer = new JsonObject(decide().body());
    String id = answer.getString("decision_id");
    String rule = answer.getString("policy_rule");
    assertThat(rule).isNotNull();
    JournalVerifier.Report intact = verify();
    assertThat(intact.problems()).isEmpty();
    assertThat(intact.formats()).containsKey(ChainHash.BY_REFERENCE);
    String where = " WHERE decision_id = '" + id + "'";
    try {
      TestPostgres.execute(
          "ALTER TABLE decision_journal DISABLE TRIGGER decision_journal_append_only",
          "UPDATE decision_journal SET policy_rule = 'otherwise'" + where);
      JournalVerifier.Report report = verify();
      assertThat(report.intact()).isFalse();
      assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains(id));
      // Nor can the rule be removed: no rule and a rule hash apart.
      TestPostgres.execute("UPDATE decision_journal SET policy_rule = NULL" + where);
      assertThat(verify().problems()).anySatisfy(p -> assertThat(p).contains(id));
    } finally {
      TestPostgres.execute(
          "UPDATE decision_journal SET policy_rule = '" + rule + "'" + where,
          "ALTER TABLE decision_journal ENABLE TRIGGER decision_journal_append_only");
    }
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void aRowInTheFormatBeforeTheDecidingRuleStillVerifiesAndReads() throws Exception {
    // A row by reference as written before format /2: its hash leaves policy_rule out, though the
    // column (V15) may hold the rule. It heads a chain of its own.
    JsonObject answer = new JsonObject(decide().body());
    String writer = "format-1-" + System.nanoTime();
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-06-15T09:30:00.123456Z");
    Instant scoredAt = Instant.parse(answer.getString("scored_at"));
    byte[] assessment = HexFormat.of().parseHex(assessmentOf(siren));
    JournalEntry entry =
        new JournalEntry(
            id,
            at,
            gateway.tenantId(),
            "req-format-1",
            "FR",
            siren,
            answer.getString("model_version"),
            answer.getString("policy_version"),
            assessment,
            scoredAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
            5000.0,
            30,
            answer.getString("recommendation"),
            answer.getLong("max_amount"),
            answer.getInteger("max_payment_term"),
            List.of(),
            answer.getString("policy_rule"),
            null,
            null);
    byte[] hash = ChainHash.of(ChainHash.GENESIS, writer, 1, entry, ChainHash.BY_REFERENCE_1);
    TestPostgres.execute(
        "INSERT INTO decision_journal (decision_id, created_at, writer_id, seq, tenant_id,"
            + " request_id, country, national_id, model_version, policy_version,"
            + " assessment_hash, scored_at, amount, payment_term, recommendation, max_amount,"
            + " max_payment_term, policy_reasons, prev_hash, hash, policy_rule) VALUES ('"
            + id
            + "', '2026-06-15T09:30:00.123456Z', '"
            + writer
            + "', 1, '"
            + gateway.tenantId()
            + "', 'req-format-1', 'FR', '"
            + siren
            + "', '"
            + entry.modelVersion()
            + "', '"
            + entry.policyVersion()
            + "', '\\x"
            + HexFormat.of().formatHex(assessment)
            + "', '"
            + entry.scoredAt()
            + "', 5000, 30, '"
            + entry.recommendation()
            + "', "
            + entry.maxAmount()
            + ", "
            + entry.maxPaymentTerm()
            + ", NULL, '\\x"
            + HexFormat.of().formatHex(ChainHash.GENESIS)
            + "', '\\x"
            + HexFormat.of().formatHex(hash)
            + "', '"
            + entry.policyRule()
            + "')");
    JournalVerifier.Report report = verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.formats()).containsKeys(ChainHash.BY_REFERENCE_1, ChainHash.BY_REFERENCE);
    assertThat(report.rulesOutsideChain()).isPositive();
    JsonObject read = new JsonObject(gateway.get("/api/v1/decisions/" + id).body());
    assertThat(read.getString("recommendation")).isEqualTo(entry.recommendation());
    assertThat(read.getString("policy_rule")).isEqualTo(entry.policyRule());
    assertThat(read.getJsonObject("journal").getString("writer_id")).isEqualTo(writer);
    // What format /1 does cover still shows tampering.
    String where = " WHERE decision_id = '" + id + "'";
    try {
      TestPostgres.execute(
          "ALTER TABLE decision_journal DISABLE TRIGGER decision_journal_append_only",
          "UPDATE decision_journal SET max_amount = max_amount + 1" + where);
      assertThat(verify().problems()).anySatisfy(p -> assertThat(p).contains(id.toString()));
    } finally {
      TestPostgres.execute(
          "UPDATE decision_journal SET max_amount = " + entry.maxAmount() + where,
          "ALTER TABLE decision_journal ENABLE TRIGGER decision_journal_append_only");
    }
  }

  @Test
  void aChainMixingTheFormatsByReferenceVerifiesAndEachRowReadsBackInItsOwn() throws Exception {
    // One writer's chain as an instance upgraded twice wrote it: /1, then /2, then /3 (the format
    // written now, with the exposure read and the amount cap in force).
    JsonObject answer = new JsonObject(decide().body());
    String writer = "mixed-" + System.nanoTime();
    byte[] assessment = HexFormat.of().parseHex(assessmentOf(siren));
    Instant scoredAt = Instant.parse(answer.getString("scored_at")).truncatedTo(ChronoUnit.MICROS);
    List<String> formats =
        List.of(JournalRows.FORMAT_1, JournalRows.FORMAT_2, JournalRows.FORMAT_3);
    List<UUID> ids = new ArrayList<>();
    byte[] previous = ChainHash.GENESIS;
    for (int i = 0; i < formats.size(); i++) {
      boolean three = i == 2;
      JournalEntry entry =
          new JournalEntry(
              UUID.randomUUID(),
              Instant.parse("2026-06-15T09:4" + i + ":00.123456Z"),
              gateway.tenantId(),
              "req-mixed-" + i,
              "FR",
              siren,
              answer.getString("model_version"),
              answer.getString("policy_version"),
              assessment,
              scoredAt,
              5000.0,
              30,
              "accept",
              100_000,
              30,
              List.of("GUARDRAIL_AMOUNT_CAP"),
              i == 0 ? null : "capped",
              three ? 12_345.0 : null,
              three ? 100_000.0 : null);
      previous = JournalRows.insert(entry, writer, i + 1, previous, formats.get(i));
      ids.add(entry.decisionId());
    }
    JournalVerifier.Report report = verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.formats()).containsKeys(formats.toArray(String[]::new));

    // The cap's text reads back from the cap the /3 row recorded; older rows never kept it.
    assertThat(capReason(ids.get(2)))
        .isEqualTo(
            new JsonObject()
                .put("code", "GUARDRAIL_AMOUNT_CAP")
                .put("text", "The credit limit is capped at the platform maximum of 100000.")
                .put(
                    "text_fr",
                    "La limite de crédit est plafonnée au maximum de la plateforme, 100000."));
    assertThat(capReason(ids.get(1)))
        .isEqualTo(new JsonObject().put("code", "GUARDRAIL_AMOUNT_CAP"));
    assertThat(capReason(ids.get(0)))
        .isEqualTo(new JsonObject().put("code", "GUARDRAIL_AMOUNT_CAP"));

    // /3 covers what it recorded; a row of /2 that holds such a value is reported.
    for (String[] change :
        new String[][] {
          {ids.get(2).toString(), "exposure = 12346", "exposure = 12345"},
          {ids.get(2).toString(), "amount_cap = 5000000", "amount_cap = 100000"},
          {ids.get(2).toString(), "exposure = NULL", "exposure = 12345"},
          {ids.get(1).toString(), "exposure = 1", "exposure = NULL"}
        }) {
      String where = " WHERE decision_id = '" + change[0] + "'";
      try {
        TestPostgres.execute(
            "ALTER TABLE decision_journal DISABLE TRIGGER decision_journal_append_only",
            "UPDATE decision_journal SET " + change[1] + where);
        assertThat(verify().problems())
            .as(change[1])
            .anySatisfy(p -> assertThat(p).contains(change[0]));
      } finally {
        TestPostgres.execute(
            "UPDATE decision_journal SET " + change[2] + where,
            "ALTER TABLE decision_journal ENABLE TRIGGER decision_journal_append_only");
      }
    }
    assertThat(verify().problems()).isEmpty();
  }

  private static JsonObject capReason(UUID decision) {
    JsonObject read = new JsonObject(gateway.get("/api/v1/decisions/" + decision).body());
    return read.getJsonArray("reasons").stream()
        .map(JsonObject.class::cast)
        .filter(r -> r.getString("code").equals("GUARDRAIL_AMOUNT_CAP"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTamperedOrMissingAssessmentFailsVerification() throws Exception {
    decide();
    assertThat(verify().problems()).isEmpty();
    String hash = assessmentOf(siren);
    String key = "'\\x" + hash + "'::bytea";
    String body = TestPostgres.string("SELECT body FROM assessments WHERE hash = " + key);
    String backup = "assessment_backup_" + hash.substring(0, 12);
    String moreIncidents =
        body.replace("\"recent_payment_incidents\":0", "\"recent_payment_incidents\":1");
    assertThat(moreIncidents).isNotEqualTo(body);
    TestPostgres.execute(
        "CREATE TABLE " + backup + " AS SELECT * FROM assessments WHERE hash = " + key,
        "ALTER TABLE assessments DISABLE TRIGGER assessments_append_only");
    try {
      TestPostgres.execute(
          "UPDATE assessments SET body = $b$" + moreIncidents + "$b$ WHERE hash = " + key);
      assertThat(verify().problems())
          .anySatisfy(p -> assertThat(p).contains(hash).contains("does not match its hash"));
      // The body restored, a query column changed: the columns must say what the body says.
      TestPostgres.execute(
          "UPDATE assessments SET body = $b$" + body + "$b$, pd = 0.5 WHERE hash = " + key);
      assertThat(verify().problems())
          .anySatisfy(p -> assertThat(p).contains(hash).contains("columns"));
      // Gone: every decision on it names an assessment that is missing.
      TestPostgres.execute("DELETE FROM assessments WHERE hash = " + key);
      assertThat(verify().problems())
          .anySatisfy(p -> assertThat(p).contains(hash).contains("is missing"));
    } finally {
      TestPostgres.execute(
          "DELETE FROM assessments WHERE hash = " + key,
          "INSERT INTO assessments SELECT * FROM " + backup,
          "DROP TABLE " + backup,
          "ALTER TABLE assessments ENABLE TRIGGER assessments_append_only");
    }
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void aCachedScoreIsRecordedOnceAndEveryDecisionReferencesIt() throws Exception {
    String company = TestCompanies.newSiren();
    TestCompanies.insertHealthy(company, "Recorded Once SAS");
    for (int i = 0; i < 3; i++) {
      decideOn(company);
    }
    String where = " WHERE national_id = '" + company + "'";
    assertThat(TestPostgres.count("SELECT count(*) FROM assessments" + where)).isEqualTo(1);
    assertThat(
            TestPostgres.count(
                "SELECT count(DISTINCT assessment_hash) FROM decision_journal"
                    + where
                    + " AND record IS NULL"))
        .isEqualTo(1);
    assertThat(TestPostgres.count("SELECT count(*) FROM decision_journal" + where)).isEqualTo(3);
    // A new fact through the events API: the cached score is dropped and the next decision
    // records a second assessment; the same fact sent again is nothing new.
    String incident =
        "{\"siren\":\""
            + company
            + "\",\"kind\":\"payment_incident\",\"external_ref\":\"journal-"
            + company
            + "\",\"amount\":1200,\"days_late\":40,\"due_on\":\"2026-05-01\"}";
    assertThat(postEvent(incident).statusCode()).isEqualTo(201);
    assertThat(postEvent(incident).statusCode()).isEqualTo(200);
    // And it is what the next decisions use.
    for (int i = 0; i < 2; i++) {
      decideOn(company);
    }
    assertThat(TestPostgres.count("SELECT count(*) FROM assessments" + where)).isEqualTo(2);
    JsonObject answer =
        new JsonObject(
            gateway
                .post(
                    "/api/v1/scoring",
                    "{\"siren\":\"" + company + "\",\"amount\":5000,\"payment_term\":30}")
                .body());
    assertThat(answer.getJsonArray("reasons").getJsonObject(0).getString("code"))
        .startsWith("PAYMENT_INCIDENTS");
    assertThat(
            TestPostgres.count(
                "SELECT count(DISTINCT assessment_hash) FROM decision_journal" + where))
        .isEqualTo(2);
    assertThat(verify().problems()).isEmpty();
  }

  @Test
  void aDecisionReadsBackAsItWasAnsweredWithTheDataItUsed() {
    HttpResponse<String> decided =
        gateway.post(
            "/api/v1/scoring",
            "{\"siren\":\"" + siren + "\",\"amount\":900000,\"payment_term\":120}");
    JsonObject answer = new JsonObject(decided.body());
    assertThat(answer.getJsonArray("reasons").stream().map(r -> ((JsonObject) r).getString("code")))
        .contains("AMOUNT_ABOVE_LIMIT", "PAYMENT_TERM_ABOVE_LIMIT");
    JsonObject read =
        new JsonObject(gateway.get("/api/v1/decisions/" + answer.getString("decision_id")).body());
    assertThat(read.getString("tenant_id")).isEqualTo(gateway.tenantId());
    assertThat(read.getString("request_id"))
        .isEqualTo(decided.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(read.getJsonObject("features").getDouble("Attr2")).isNotNull();
    assertThat(read.getJsonObject("events").getInteger("recent_payment_incidents")).isZero();
    assertThat(read.getJsonObject("journal").getLong("seq")).isPositive();
    for (String member : List.of("tenant_id", "request_id", "features", "events", "journal")) {
      read.remove(member);
    }
    assertThat(read.encode()).isEqualTo(answer.encode());
  }

  @Test
  void rowsJournaledBeforeAssessmentsByReferenceStillReadAndVerify() throws Exception {
    // A row as written before V8: the whole record, hashed as it was (ChainHashTest pins the
    // format), at the head of a chain of its own.
    String writer = "before-v8-" + System.nanoTime();
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-06-15T09:00:00.123456Z");
    String record = "{\"decision_id\":\"" + id + "\",\"score\":72,\"features\":{\"Attr2\":0.5}}";
    RecordEntry entry =
        new RecordEntry(
            id,
            at,
            gateway.tenantId(),
            "req-old",
            "FR",
            siren,
            "1.0.0",
            "policy-2026.11",
            record.getBytes(StandardCharsets.UTF_8));
    byte[] hash = ChainHash.of(ChainHash.GENESIS, writer, 1, entry);
    TestPostgres.execute(
        "INSERT INTO decision_journal (decision_id, created_at, writer_id, seq, tenant_id,"
            + " request_id, country, national_id, model_version, policy_version, record,"
            + " prev_hash, hash) VALUES ('"
            + id
            + "', '2026-06-15T09:00:00.123456Z', '"
            + writer
            + "', 1, '"
            + gateway.tenantId()
            + "', 'req-old', 'FR', '"
            + siren
            + "', '1.0.0', 'policy-2026.11', $r$"
            + record
            + "$r$, '\\x"
            + HexFormat.of().formatHex(ChainHash.GENESIS)
            + "', '\\x"
            + HexFormat.of().formatHex(hash)
            + "')");
    assertThat(verify().problems()).isEmpty();
    JsonObject read = new JsonObject(gateway.get("/api/v1/decisions/" + id).body());
    assertThat(read.getInteger("score")).isEqualTo(72);
    assertThat(read.getJsonObject("features").getDouble("Attr2")).isEqualTo(0.5);
    assertThat(read.getJsonObject("journal").getString("writer_id")).isEqualTo(writer);
  }

  private static String assessmentOf(String company) {
    return TestPostgres.string(
        "SELECT encode(assessment_hash, 'hex') FROM decision_journal WHERE national_id = '"
            + company
            + "' AND assessment_hash IS NOT NULL ORDER BY created_at DESC LIMIT 1");
  }

  private static HttpResponse<String> postEvent(String json) {
    return gateway.send(
        HttpRequest.newBuilder(gateway.uri("/api/v1/events"))
            .timeout(Duration.ofSeconds(30))
            .header("X-API-Key", provider)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static void decideOn(String company) {
    assertThat(
            gateway
                .post(
                    "/api/v1/scoring",
                    "{\"siren\":\"" + company + "\",\"amount\":5000,\"payment_term\":30}")
                .statusCode())
        .isEqualTo(200);
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
