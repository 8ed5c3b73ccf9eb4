package io.scoregate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants' policies on running gateways: submitted and checked through the admin API, activated and
 * rolled back while two instances serve calls, recorded in every answer and journal record, and
 * simulated on a journal and a portfolio built here.
 */
class PolicyIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  // A short refresh so the test sees a switch soon; a long request timeout, as the test machine is
  // shared and a cold gateway's first calls can be slow.
  private static final Map<String, String> FAST =
      Map.of(
          "SCOREGATE_POLICY_RULES_REFRESH_MS", "200", "SCOREGATE_HTTP_REQUEST_TIMEOUT_MS", "15000");

  private static TestGateway first;
  private static TestGateway second;
  private static String adminKey;

  static final String README =
      """
      {"description": "small tickets", "rules": [
        {"id": "small_tickets", "when": "score > 60 && amount < 20000", "recommendation": "accept",
         "reason": {"code": "SMALL_TICKET", "text": "Good score, small amount.",
                    "text_fr": "Bon score, petit montant."}},
        {"id": "otherwise", "when": "true", "recommendation": "manual_review"}
      ]}
      """;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    first = TestGateway.start(CLOCK, FAST);
    second = TestGateway.start(CLOCK, FAST);
    String admin = "adm" + System.nanoTime();
    // Policies of every tenant are managed here by the platform; a tenant's own admin key
    // reaches its own only (below).
    adminKey = TestTenants.platform(first.config(), admin);
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
  }

  /** A new tenant with the scoring scope; returns its key. */
  @Test
  void aTenantsAdminKeyReachesItsOwnPoliciesOnly() {
    String own = "pola" + System.nanoTime();
    String ownKey = TestTenants.create(first.config(), own, "admin", 1000, 1_000_000);
    String other = newTenant()[0];
    for (String[] call :
        new String[][] {
          {"GET", "/admin/v1/tenants/" + other + "/policies"},
          {"POST", "/admin/v1/tenants/" + other + "/policies/rollback"},
          {"POST", "/admin/v1/tenants/" + other + "/policies/x-1/activate"},
          {"GET", "/admin/v1/tenants/" + other + "/policies/x-1"}
        }) {
      HttpResponse<String> r =
          first.send(
              HttpRequest.newBuilder(first.uri(call[1]))
                  .header("X-API-Key", ownKey)
                  .method(call[0], HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
    }
    HttpResponse<String> mine =
        first.send(
            HttpRequest.newBuilder(first.uri("/admin/v1/tenants/" + own + "/policies"))
                .header("X-API-Key", ownKey)
                .build());
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
  }

  private static String[] newTenant() {
    String id = "pol" + System.nanoTime();
    return new String[] {
      id, TestTenants.create(first.config(), id, "scoring", 100_000, 10_000_000)
    };
  }

  private static HttpResponse<String> admin(
      TestGateway g, String method, String path, String body) {
    return g.send(
        HttpRequest.newBuilder(g.uri(path))
            .header("X-API-Key", adminKey)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String submit(String tenant, String policy) {
    HttpResponse<String> created =
        admin(first, "POST", "/admin/v1/tenants/" + tenant + "/policies", policy);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("version");
  }

  private static void activate(TestGateway g, String tenant, String version) {
    HttpResponse<String> r =
        admin(
            g, "POST", "/admin/v1/tenants/" + tenant + "/policies/" + version + "/activate", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // Instances follow an activation within policyRules.refreshMs, the answering one included.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> inForce(g, tenant, version));
  }

  /** Whether g decides for the tenant under this version now. */
  private static boolean inForce(TestGateway g, String tenant, String version) {
    return g.gateway().policies().active(tenant).version().equals(version);
  }

  private static HttpResponse<String> decide(
      TestGateway g, String key, String siren, double amount) {
    return g.send(
        HttpRequest.newBuilder(g.uri("/api/v1/scoring"))
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("siren", siren)
                        .put("amount", amount)
                        .put("payment_term", 30)
                        .encode()))
            .build());
  }

  private static JsonObject decided(TestGateway g, String key, String siren, double amount) {
    HttpResponse<String> r = decide(g, key, siren, amount);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static String healthy() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Policy " + siren);
    return siren;
  }

  @Test
  void theReadmeExampleDecidesAsWrittenAndTheJournalNamesTheRule() {
    String[] tenant = newTenant();
    String siren = healthy();
    assertThat(decided(first, tenant[1], siren, 15_000).getString("policy_version"))
        .isEqualTo(first.config().policy().version());
    // The test companies score 57: the README's threshold of 60 sends them to review...
    String readme = submit(tenant[0], README);
    assertThat(readme).isEqualTo(tenant[0] + "-2026-06-15.1");
    activate(first, tenant[0], readme);
    JsonObject reviewed = decided(first, tenant[1], siren, 15_000);
    assertThat(reviewed.getInteger("score")).isLessThanOrEqualTo(60);
    assertThat(reviewed.getString("recommendation")).isEqualTo("manual_review");
    assertThat(reviewed.getString("policy_rule")).isEqualTo("otherwise");
    // ...and the same rule at 50 accepts them.
    String version = submit(tenant[0], README.replace("score > 60", "score > 50"));
    assertThat(version).isEqualTo(tenant[0] + "-2026-06-15.2");
    activate(first, tenant[0], version);

    JsonObject small = decided(first, tenant[1], siren, 15_000);
    assertThat(small.getString("recommendation")).isEqualTo("accept");
    assertThat(small.getString("policy_version")).isEqualTo(version);
    assertThat(small.getString("policy_rule")).isEqualTo("small_tickets");
    assertThat(small.getJsonArray("reasons").stream().map(r -> ((JsonObject) r).getString("code")))
        .contains("SMALL_TICKET");
    JsonObject big = decided(first, tenant[1], siren, 25_000);
    assertThat(big.getString("recommendation")).isEqualTo("manual_review");
    assertThat(big.getString("policy_rule")).isEqualTo("otherwise");

    HttpResponse<String> record =
        first.send(
            HttpRequest.newBuilder(first.uri("/api/v1/decisions/" + small.getString("decision_id")))
                .header("X-API-Key", tenant[1])
                .GET()
                .build());
    JsonObject journaled = new JsonObject(record.body());
    assertThat(journaled.getString("policy_version")).isEqualTo(version);
    assertThat(journaled.getString("policy_rule")).isEqualTo("small_tickets");
    // The rule's own reason reads back with the texts it was answered with, in English and French.
    assertThat(journaled.getJsonArray("reasons")).isEqualTo(small.getJsonArray("reasons"));
    assertThat(
            journaled.getJsonArray("reasons").stream()
                .map(r -> (JsonObject) r)
                .filter(r -> "SMALL_TICKET".equals(r.getString("code")))
                .findFirst()
                .orElseThrow()
                .getString("text_fr"))
        .isNotBlank();
    // The inputs the rule saw: the journaled assessment's score and features, and the request.
    assertThat(journaled.getInteger("score")).isGreaterThan(50);
    assertThat(journaled.getJsonObject("requested").getInteger("amount")).isEqualTo(15_000);
    assertThat(
            TestPostgres.string(
                "SELECT policy_version FROM decision_journal WHERE decision_id = '"
                    + small.getString("decision_id")
                    + "'"))
        .isEqualTo(version);
  }

  @Test
  void anInvalidPolicyIsA422NamingTheRuleAndPositionAndStoresNothing() {
    String[] tenant = newTenant();
    HttpResponse<String> refused =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies",
            """
            {"rules": [{"id": "typo", "when": "score > 60 && amout < 20000",
                        "recommendation": "accept"},
                       {"id": "end", "when": "true", "recommendation": "refuse"}]}
            """);
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonObject problem = new JsonObject(refused.body());
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).isEqualTo("rules[0].when");
    assertThat(error.getString("detail")).contains("rule typo").contains("line 1, column 15");
    HttpResponse<String> list =
        admin(first, "GET", "/admin/v1/tenants/" + tenant[0] + "/policies", null);
    assertThat(new JsonObject(list.body()).getJsonArray("versions")).isEmpty();
    HttpResponse<String> unknown =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies/nope-2026-06-15.1/activate",
            null);
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void aTypeErrorOrAnExpressionOverTheCostLimitIsA422AtSaveTimeAndStoresNothing() {
    String[] tenant = newTenant();
    HttpResponse<String> typed =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies",
            """
            {"rules": [{"id": "ok", "when": "score > 60", "recommendation": "accept"},
                       {"id": "typed", "when": "country > 3", "recommendation": "accept"},
                       {"id": "end", "when": "true", "recommendation": "refuse"}]}
            """);
    assertThat(typed.statusCode()).as(typed.body()).isEqualTo(422);
    JsonObject typeError = new JsonObject(typed.body()).getJsonArray("errors").getJsonObject(0);
    assertThat(typeError.getString("field")).isEqualTo("rules[1].when");
    assertThat(typeError.getString("detail")).contains("rule typed").contains("line 1, column 9");

    StringBuilder sectors = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      sectors.append(i == 0 ? "" : ", ").append('\'').append(i).append('\'');
    }
    HttpResponse<String> costly =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies",
            new JsonObject()
                .put(
                    "rules",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("id", "costly")
                                .put("when", "[" + sectors + "].exists(s, sector.matches(s))")
                                .put("recommendation", "accept"))
                        .add(
                            new JsonObject()
                                .put("id", "end")
                                .put("when", "true")
                                .put("recommendation", "refuse")))
                .encode());
    assertThat(costly.statusCode()).as(costly.body()).isEqualTo(422);
    JsonObject costError = new JsonObject(costly.body()).getJsonArray("errors").getJsonObject(0);
    assertThat(costError.getString("field")).isEqualTo("rules[0].when");
    assertThat(costError.getString("code")).isEqualTo("cost_limit");
    assertThat(costError.getString("detail")).contains("rule costly").contains("column");

    JsonObject list =
        new JsonObject(
            admin(first, "GET", "/admin/v1/tenants/" + tenant[0] + "/policies", null).body());
    assertThat(list.getJsonArray("versions")).isEmpty();
  }

  @Test
  void guardrailsHoldOnARunningGatewayAndReadBackAsAnswered() {
    String[] tenant = newTenant();
    String inSauvegarde = healthy();
    TestCompanies.insertProceeding(inSauvegarde, "sauvegarde", "2026-05-01");
    String sound = healthy();
    String everything =
        submit(
            tenant[0],
            """
            {"rules": [{"id": "yes", "when": "true", "recommendation": "accept",
                        "max_amount": "open_proceeding ? 5000.0 : 1.0e12"}]}
            """);
    activate(first, tenant[0], everything);
    long cap = (long) first.config().policy().maxAmountCap();

    JsonObject proceeding = decided(first, tenant[1], inSauvegarde, 1000);
    assertThat(proceeding.getString("recommendation")).isEqualTo("manual_review");
    assertThat(codes(proceeding)).contains("GUARDRAIL_OPEN_PROCEEDING");
    JsonObject capped = decided(first, tenant[1], sound, 1000);
    assertThat(capped.getString("recommendation")).isEqualTo("accept");
    assertThat(capped.getLong("max_amount")).isEqualTo(cap);
    assertThat(codes(capped)).contains("GUARDRAIL_AMOUNT_CAP");
    JsonObject above = decided(first, tenant[1], sound, cap + 1000);
    assertThat(above.getString("recommendation")).isEqualTo("manual_review");
    assertThat(codes(above)).contains("AMOUNT_ABOVE_LIMIT");

    // Read back, the guardrail's reason has the texts it was answered with.
    JsonObject read =
        new JsonObject(
            first
                .send(
                    HttpRequest.newBuilder(
                            first.uri("/api/v1/decisions/" + proceeding.getString("decision_id")))
                        .header("X-API-Key", tenant[1])
                        .GET()
                        .build())
                .body());
    assertThat(read.getJsonArray("reasons")).isEqualTo(proceeding.getJsonArray("reasons"));
    // The amount cap's reason too, with the cap in force named in its texts.
    JsonObject readCapped = readBack(tenant[1], capped.getString("decision_id"));
    assertThat(readCapped.getJsonArray("reasons")).isEqualTo(capped.getJsonArray("reasons"));
    assertThat(
            readCapped.getJsonArray("reasons").stream()
                .map(JsonObject.class::cast)
                .filter(r -> r.getString("code").equals("GUARDRAIL_AMOUNT_CAP"))
                .map(r -> r.getString("text")))
        .containsExactly("The credit limit is capped at the platform maximum of " + cap + ".");
  }

  private static JsonObject readBack(String key, String decisionId) {
    return new JsonObject(
        first
            .send(
                HttpRequest.newBuilder(first.uri("/api/v1/decisions/" + decisionId))
                    .header("X-API-Key", key)
                    .GET()
                    .build())
            .body());
  }

  private static List<String> codes(JsonObject answer) {
    return answer.getJsonArray("reasons").stream()
        .map(r -> ((JsonObject) r).getString("code"))
        .toList();
  }

  @Test
  void activationAndRollbackReachBothInstancesWithoutFailingACall() throws Exception {
    String[] tenant = newTenant();
    String siren = healthy();
    String accepting =
        submit(
            tenant[0],
            """
            {"rules": [{"id": "all_in", "when": "true", "recommendation": "accept"}]}
            """);
    String reviewing =
        submit(
            tenant[0],
            """
            {"rules": [{"id": "all_review", "when": "true", "recommendation": "manual_review"}]}
            """);
    assertThat(reviewing).isEqualTo(tenant[0] + "-2026-06-15.2");
    String platform = first.config().policy().version();
    Map<String, String> expected =
        Map.of(accepting, "accept", reviewing, "manual_review", platform, "accept_with_monitoring");

    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (TestGateway g : List.of(first, second, first, second)) {
      Thread t =
          new Thread(
              () -> {
                while (running.get()) {
                  HttpResponse<String> r = decide(g, tenant[1], siren, 1000);
                  if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.body());
                    continue;
                  }
                  JsonObject a = new JsonObject(r.body());
                  String version = a.getString("policy_version");
                  seen.add(version);
                  if (!a.getString("recommendation").equals(expected.get(version))) {
                    failures.add(
                        "version " + version + " answered " + a.getString("recommendation"));
                  }
                }
              });
      t.start();
      callers.add(t);
    }
    try {
      activate(first, tenant[0], accepting);
      awaitBoth(tenant[1], siren, accepting);
      activate(second, tenant[0], reviewing);
      awaitBoth(tenant[1], siren, reviewing);
      HttpResponse<String> back =
          admin(first, "POST", "/admin/v1/tenants/" + tenant[0] + "/policies/rollback", null);
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
      assertThat(new JsonObject(back.body()).getString("version")).isEqualTo(accepting);
      awaitBoth(tenant[1], siren, accepting);
    } finally {
      running.set(false);
      for (Thread t : callers) {
        t.join();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(Set.copyOf(seen)).contains(accepting, reviewing);

    JsonObject list =
        new JsonObject(
            admin(second, "GET", "/admin/v1/tenants/" + tenant[0] + "/policies", null).body());
    assertThat(list.getString("active_version")).isEqualTo(accepting);
    JsonArray history = list.getJsonArray("history");
    assertThat(history).hasSize(3);
    JsonObject rollback = history.getJsonObject(0);
    assertThat(rollback.getString("action")).isEqualTo("rollback");
    assertThat(rollback.getString("previous_version")).isEqualTo(reviewing);
    assertThat(rollback.getString("actor")).startsWith("adm");
    assertThat(rollback.getString("at")).isEqualTo(CLOCK.instant().toString());
    assertThat(history.getJsonObject(2).getString("previous_version")).isNull();
  }

  private static void awaitBoth(String key, String siren, String version) {
    for (TestGateway g : List.of(first, second)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> version.equals(decided(g, key, siren, 1000).getString("policy_version")));
    }
  }

  @Test
  void aSimulationReplaysTheJournalOfThePeriodAsRecorded() {
    String[] tenant = newTenant();
    List<String> companies = List.of(healthy(), healthy(), healthy(), healthy(), healthy());
    // A decision outside the period replayed, made first: the clock shared by these tests only
    // ever goes back before anything else of this tenant (its rate-limit bucket, the policy
    // poller) has seen a later time.
    CLOCK.advance(Duration.ofDays(-3));
    try {
      decided(first, tenant[1], companies.get(0), 25_000);
    } finally {
      CLOCK.advance(Duration.ofDays(3));
    }
    long grantedBefore = 0;
    for (int i = 0; i < companies.size(); i++) {
      JsonObject a = decided(first, tenant[1], companies.get(i), i < 3 ? 15_000 : 25_000);
      assertThat(a.getString("recommendation")).isEqualTo("accept_with_monitoring");
      grantedBefore += a.getLong("max_amount");
    }
    String candidate = submit(tenant[0], README.replace("score > 60", "score > 50"));
    HttpResponse<String> simulated =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies/" + candidate + "/simulate",
            new JsonObject()
                .put("from", CLOCK.instant().minus(Duration.ofHours(1)).toString())
                .put("to", CLOCK.instant().plus(Duration.ofHours(1)).toString())
                .encode());
    assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(200);
    JsonObject report = new JsonObject(simulated.body());
    assertThat(report.getInteger("decisions")).isEqualTo(5);
    assertThat(report.getInteger("changed")).isEqualTo(5);
    JsonObject fromMonitoring =
        report.getJsonObject("migration").getJsonObject("accept_with_monitoring");
    assertThat(fromMonitoring.getInteger("accept")).isEqualTo(3);
    assertThat(fromMonitoring.getInteger("manual_review")).isEqualTo(2);
    assertThat(report.getJsonObject("migration").getJsonObject("accept").getInteger("accept"))
        .isZero();
    JsonObject granted = report.getJsonObject("granted");
    assertThat(granted.getLong("max_amount_before")).isEqualTo(grantedBefore);
    assertThat(granted.getLong("max_amount_after")).isEqualTo(3 * 15_000 + 2 * 25_000);
    assertThat(granted.getDouble("accepted_amount_before")).isEqualTo(95_000.0);
    assertThat(granted.getDouble("accepted_amount_after")).isEqualTo(45_000.0);
    JsonArray samples =
        report.getJsonObject("samples").getJsonArray("accept_with_monitoring->manual_review");
    assertThat(samples).hasSize(2);
    assertThat(samples.getJsonObject(0).getJsonObject("after").getString("policy_rule"))
        .isEqualTo("otherwise");
    // Nothing was activated by simulating.
    assertThat(decided(first, tenant[1], companies.get(3), 25_000).getString("policy_version"))
        .isEqualTo(first.config().policy().version());
  }

  /**
   * The live policy: each rule reads one input that is in neither the assessment's score nor the
   * request, and decides a different limit, so a replay that saw any of them otherwise would decide
   * otherwise.
   */
  private static final List<String[]> BY_INPUT =
      List.of(
          new String[] {"ceased", "ceased", "refuse", "0"},
          new String[] {"sector", "sector == '46.90Z'", "accept", "10000"},
          new String[] {"region", "region == 'Bretagne'", "accept", "20000"},
          new String[] {"form", "legal_form == 'SARL'", "accept", "30000"},
          new String[] {"age", "age_years == 10", "accept", "40000"},
          new String[] {"exposure", "exposure > 50000.0", "accept", "50000"},
          new String[] {
            "scale",
            "default_recommendation == 'accept_with_monitoring' && default_max_amount > 5000.0"
                + " && default_max_payment_term > 0",
            "accept",
            "default_max_amount / 2.0 + 1000.0 * double(default_max_payment_term)"
          },
          new String[] {"otherwise", "true", "manual_review", "0"});

  /** The live policy with rule {@code id}'s condition replaced (null: as it is). */
  private static String byInput(String id, String when) {
    JsonArray rules = new JsonArray();
    for (String[] r : BY_INPUT) {
      rules.add(
          new JsonObject()
              .put("id", r[0])
              .put("when", r[0].equals(id) ? when : r[1])
              .put("recommendation", r[2])
              .put("max_amount", r[3]));
    }
    return new JsonObject().put("rules", rules).encode();
  }

  private static JsonObject simulate(String tenant, String version) {
    HttpResponse<String> simulated =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant + "/policies/" + version + "/simulate",
            new JsonObject()
                .put("from", CLOCK.instant().minus(Duration.ofHours(1)).toString())
                .put("to", CLOCK.instant().plus(Duration.ofHours(1)).toString())
                .encode());
    assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(200);
    return new JsonObject(simulated.body());
  }

  @Test
  void aSimulationReplaysEveryInputTheLiveDecisionsHadAndCountsThoseItReconstructs()
      throws Exception {
    String[] tenant = newTenant();
    Map<String, String> companies = new java.util.LinkedHashMap<>();
    for (String[] r : BY_INPUT) {
      if (!r[0].equals("otherwise")) {
        companies.put(r[0], healthy());
      }
    }
    // Each company differs from a healthy SAS of sector 25.62A in Auvergne-Rhône-Alpes, created
    // in 2001, in one input only.
    String update = "UPDATE companies SET %s WHERE country = 'FR' AND national_id = '%s'";
    TestPostgres.execute(
        update.formatted("status = 'ceased'", companies.get("ceased")),
        update.formatted("sector = '46.90Z'", companies.get("sector")),
        update.formatted("region = 'Bretagne'", companies.get("region")),
        update.formatted("legal_form = 'SARL'", companies.get("form")),
        update.formatted("created_on = '2016-01-01'", companies.get("age")));
    portfolioHolding(tenant[0], companies.get("exposure"));
    String live = submit(tenant[0], byInput(null, null));
    activate(first, tenant[0], live);
    Map<String, String> decisionOf = new java.util.HashMap<>();
    for (Map.Entry<String, String> c : companies.entrySet()) {
      JsonObject answer = decided(first, tenant[1], c.getValue(), 1000);
      // Live, each company is decided by the rule on the input it differs in.
      assertThat(answer.getString("policy_rule")).as(c.getKey()).isEqualTo(c.getKey());
      decisionOf.put(c.getKey(), answer.getString("decision_id"));
    }

    // The live version replayed on its own decisions decides every one as it was decided.
    JsonObject same = simulate(tenant[0], live);
    assertThat(same.getInteger("decisions")).isEqualTo(companies.size());
    assertThat(same.getInteger("changed")).as(same.encodePrettily()).isZero();
    assertThat(same.getJsonObject("reconstructed"))
        .isEqualTo(new JsonObject().put("decisions", 0).put("inputs", new JsonObject()));

    // A candidate that differs from it on one input only changes the decision that input made.
    for (String id : List.of("sector", "region", "form", "age", "exposure", "scale")) {
      JsonObject report = simulate(tenant[0], submit(tenant[0], byInput(id, "false")));
      assertThat(report.getInteger("changed")).as(id).isEqualTo(1);
      JsonObject sample =
          report.getJsonObject("samples").stream()
              .flatMap(e -> ((JsonArray) e.getValue()).stream())
              .map(JsonObject.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(sample.getString("decision_id")).as(id).isEqualTo(decisionOf.get(id));
    }
    // No rule accepts a ceased company, so a rule on ceased changes the others' decisions.
    JsonObject ceased = simulate(tenant[0], submit(tenant[0], byInput("ceased", "!ceased")));
    assertThat(ceased.getInteger("changed")).isEqualTo(companies.size() - 1);
    assertThat(ceased.getJsonObject("migration").getJsonObject("accept").getInteger("refuse"))
        .isEqualTo(companies.size() - 1);

    // A decision journaled before these inputs were recorded (format /2, an assessment without
    // profile and master scale) is replayed with them reconstructed, and counted so.
    String scaleCompany = companies.get("scale");
    String hash =
        TestPostgres.string(
            "SELECT encode(assessment_hash, 'hex') FROM decision_journal WHERE decision_id = '"
                + decisionOf.get("scale")
                + "'");
    String body =
        TestPostgres.string("SELECT body FROM assessments WHERE hash = '\\x" + hash + "'");
    String oldBody = body.substring(0, body.indexOf(",\"profile\":")) + "}";
    byte[] oldHash =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(oldBody.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TestPostgres.execute(
        "INSERT INTO assessments (hash, country, national_id, model_version, score, pd, grade,"
            + " risk_level, data_as_of, body, recorded_at) SELECT '\\x"
            + java.util.HexFormat.of().formatHex(oldHash)
            + "', country, national_id, model_version, score, pd, grade, risk_level, data_as_of, '"
            + oldBody.replace("'", "''")
            + "', recorded_at FROM assessments WHERE hash = '\\x"
            + hash
            + "' ON CONFLICT DO NOTHING");
    JsonObject decidedThen = readBack(tenant[1], decisionOf.get("scale"));
    io.scoregate.audit.JournalEntry old =
        new io.scoregate.audit.JournalEntry(
            UUID.randomUUID(),
            CLOCK.instant().minus(Duration.ofMinutes(10)),
            tenant[0],
            "req-old",
            "FR",
            scaleCompany,
            decidedThen.getString("model_version"),
            live,
            oldHash,
            Instant.parse(decidedThen.getString("scored_at")),
            1000.0,
            30,
            decidedThen.getString("recommendation"),
            decidedThen.getLong("max_amount"),
            decidedThen.getInteger("max_payment_term"),
            List.of(),
            "scale",
            null,
            null);
    io.scoregate.audit.JournalRows.insert(
        old,
        "old-" + System.nanoTime(),
        1,
        io.scoregate.audit.ChainHash.GENESIS,
        io.scoregate.audit.JournalRows.FORMAT_2);
    JsonObject mixed = simulate(tenant[0], live);
    assertThat(mixed.getInteger("decisions")).isEqualTo(companies.size() + 1);
    JsonObject inputs = new JsonObject();
    for (String name :
        List.of(
            "age_years",
            "amount_cap",
            "ceased",
            "default_max_amount",
            "default_max_payment_term",
            "default_recommendation",
            "exposure",
            "legal_form",
            "region",
            "sector")) {
      inputs.put(name, 1);
    }
    assertThat(mixed.getJsonObject("reconstructed"))
        .isEqualTo(new JsonObject().put("decisions", 1).put("inputs", inputs));
    // Replayed with neutral inputs it falls to the catch-all: that change is the reconstruction's.
    assertThat(mixed.getInteger("changed")).isEqualTo(1);
  }

  /** A new portfolio of the tenant holding the company, reference "held", exposure 90,000. */
  private static UUID portfolioHolding(String tenant, String siren) {
    UUID portfolio = UUID.randomUUID();
    TestPostgres.execute(
        "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at) VALUES ('"
            + portfolio
            + "', '"
            + tenant
            + "', 'book', now(), now())",
        "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure,"
            + " payment_terms_days, added_at, updated_at) SELECT '"
            + portfolio
            + "', id, 'held', 90000, 30, now(), now() FROM companies WHERE national_id = '"
            + siren
            + "'");
    return portfolio;
  }

  @Test
  void exposureComesFromTheTenantsPortfoliosAndAPortfolioCanBeSimulated() {
    String[] tenant = newTenant();
    String held = healthy();
    String free = healthy();
    UUID portfolio = portfolioHolding(tenant[0], held);
    String capped =
        submit(
            tenant[0],
            """
            {"rules": [
              {"id": "room", "when": "exposure + amount <= 100000", "recommendation": "accept"},
              {"id": "full", "when": "true", "recommendation": "refuse",
               "reason": {"code": "EXPOSURE_LIMIT", "text": "Exposure limit reached.",
                          "text_fr": "Limite d'encours atteinte."}}
            ]}
            """);
    HttpResponse<String> simulated =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + tenant[0] + "/policies/" + capped + "/simulate",
            new JsonObject()
                .put("portfolio_id", portfolio.toString())
                .put("amount", 15_000)
                .encode());
    assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(200);
    JsonObject report = new JsonObject(simulated.body());
    assertThat(report.getInteger("decisions")).isEqualTo(1);
    assertThat(report.getInteger("changed")).isEqualTo(1);
    assertThat(
            report
                .getJsonObject("migration")
                .getJsonObject("accept_with_monitoring")
                .getInteger("refuse"))
        .isEqualTo(1);
    HttpResponse<String> otherTenants =
        admin(
            first,
            "POST",
            "/admin/v1/tenants/" + newTenant()[0] + "/policies/" + capped + "/simulate",
            new JsonObject().put("portfolio_id", portfolio.toString()).encode());
    assertThat(otherTenants.statusCode()).isEqualTo(404);

    activate(first, tenant[0], capped);
    JsonObject refused = decided(first, tenant[1], held, 15_000);
    assertThat(refused.getString("recommendation")).isEqualTo("refuse");
    assertThat(refused.getString("policy_rule")).isEqualTo("full");
    JsonObject accepted = decided(first, tenant[1], free, 15_000);
    assertThat(accepted.getString("recommendation")).isEqualTo("accept");
    assertThat(accepted.getString("policy_rule")).isEqualTo("room");
  }

  @Test
  void noRuleAcceptsACompanyInLiquidation() {
    String[] tenant = newTenant();
    String siren = healthy();
    TestCompanies.insertProceeding(siren, "liquidation_judiciaire", "2026-05-01");
    String all =
        submit(
            tenant[0],
            """
            {"rules": [{"id": "yes", "when": "true", "recommendation": "accept"}]}
            """);
    activate(first, tenant[0], all);
    JsonObject answer = decided(first, tenant[1], siren, 1000);
    assertThat(answer.getString("recommendation")).isEqualTo("refuse");
    assertThat(answer.getLong("max_amount")).isZero();
    assertThat(answer.getJsonArray("reasons").stream().map(r -> ((JsonObject) r).getString("code")))
        .contains("GUARDRAIL_LIQUIDATION");
  }
}
