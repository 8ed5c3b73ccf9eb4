package io.scoregate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Portfolios, members and rules over HTTP: lifecycle, tenant isolation, streamed uploads. */
class PortfoliosIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static TestGateway gateway;
  private static MonitoringApi alice;
  private static MonitoringApi bob;
  private static MonitoringApi scoringOnly;
  private static final List<String> SIRENS = new ArrayList<>();

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    for (int i = 0; i < 4; i++) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insertHealthy(siren, "Member " + i + " SAS");
      SIRENS.add(siren);
    }
    gateway = TestGateway.start(CLOCK, Map.of());
    alice = tenant("scoring,portfolios");
    bob = tenant("scoring,portfolios");
    scoringOnly = tenant("scoring");
  }

  private static MonitoringApi tenant(String scopes) {
    String id = "p" + System.nanoTime();
    return new MonitoringApi(
        gateway, TestTenants.create(gateway.config(), id, scopes, 100_000, 1_000_000));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aPortfolioIsCreatedListedRenamedAndDeletedWithItsRulesHistorised() {
    String id = alice.createPortfolio("Suppliers");
    JsonArray listed =
        alice.json("GET", "/api/v1/portfolios?limit=1000", null, 200).getJsonArray("items");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id"))).contains(id);
    assertThat(alice.json("GET", "/api/v1/portfolios/" + id, null, 200).getLong("members"))
        .isZero();
    assertThat(
            alice
                .json("PATCH", "/api/v1/portfolios/" + id, "{\"name\":\"Key suppliers\"}", 200)
                .getString("name"))
        .isEqualTo("Key suppliers");

    JsonArray rules =
        alice.json("GET", "/api/v1/portfolios/" + id + "/rules", null, 200).getJsonArray("items");
    assertThat(rules).hasSize(7);
    JsonObject below = rules.getJsonObject(0);
    assertThat(below.getString("rule")).isEqualTo("score_below");
    assertThat(below.getJsonObject("params").getInteger("below")).isEqualTo(40);
    assertThat(rules.getJsonObject(1).getJsonObject("params").getBoolean("ignore_model_change"))
        .isTrue();

    JsonObject changed =
        alice.json(
            "PATCH",
            "/api/v1/portfolios/" + id + "/rules/score_below",
            "{\"params\":{\"below\":35},\"min_exposure\":10000}",
            200);
    assertThat(changed.getJsonObject("params").getInteger("below")).isEqualTo(35);
    assertThat(changed.getString("min_exposure")).isEqualTo("10000.00");
    JsonArray history =
        alice
            .json("GET", "/api/v1/portfolios/" + id + "/rules/history", null, 200)
            .getJsonArray("items");
    assertThat(history).hasSize(8);
    JsonObject last = history.getJsonObject(0);
    assertThat(last.getString("change")).isEqualTo("updated");
    assertThat(last.getString("rule")).isEqualTo("score_below");
    assertThat(last.getString("changed_by")).startsWith("sgk_");
    assertThat(last.getLong("version")).isEqualTo(changed.getLong("version"));

    HttpResponse<String> bad =
        alice.call(
            "PATCH",
            "/api/v1/portfolios/" + id + "/rules/risk_level_worse",
            "{\"params\":{\"than\":\"awful\"}}");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(
            new JsonObject(bad.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("params.than");

    assertThat(alice.call("DELETE", "/api/v1/portfolios/" + id, null).statusCode()).isEqualTo(204);
    assertThat(alice.get("/api/v1/portfolios/" + id).statusCode()).isEqualTo(404);
    // The rules' history outlives the portfolio, closed by who deleted it.
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM alert_rule_history WHERE portfolio_id = '"
                    + id
                    + "' AND change = 'portfolio_deleted'"))
        .isEqualTo(7);
  }

  @Test
  void anotherTenantsPortfolioIsNotFoundOnEveryRoute() {
    String id = alice.createPortfolio("Alice's buyers");
    alice.putMember(id, "A-1", SIRENS.get(0), "5000");
    String alert = "00000000-0000-0000-0000-000000000001";
    String base = "/api/v1/portfolios/" + id;
    List<String[]> routes =
        List.of(
            new String[] {"GET", base, null},
            new String[] {"PATCH", base, "{\"name\":\"mine now\"}"},
            new String[] {"DELETE", base, null},
            new String[] {"GET", base + "/members", null},
            new String[] {
              "PUT", base + "/members/A-1", "{\"siren\":\"" + SIRENS.get(0) + "\",\"exposure\":1}"
            },
            new String[] {"DELETE", base + "/members/A-1", null},
            new String[] {"GET", base + "/rules", null},
            new String[] {"PATCH", base + "/rules/score_below", "{\"enabled\":false}"},
            new String[] {"GET", base + "/rules/history", null},
            new String[] {"GET", base + "/alerts", null},
            new String[] {"POST", base + "/alerts/" + alert + "/acknowledge", "{}"},
            new String[] {"POST", base + "/alerts/" + alert + "/resolve", "{}"},
            new String[] {"GET", base + "/movers?days=30", null});
    for (String[] r : routes) {
      assertThat(bob.call(r[0], r[1], r[2]).statusCode()).as(r[0] + " " + r[1]).isEqualTo(404);
      assertThat(scoringOnly.call(r[0], r[1], r[2]).statusCode())
          .as("without the scope: " + r[0] + " " + r[1])
          .isEqualTo(403);
    }
    HttpResponse<String> upload =
        bob.call(
            "POST",
            base + "/members/upload",
            "reference,siren,exposure\nB-1," + SIRENS.get(1) + ",10\n",
            "text/csv");
    assertThat(upload.statusCode()).isEqualTo(404);
    JsonArray bobs = bob.json("GET", "/api/v1/portfolios", null, 200).getJsonArray("items");
    assertThat(bobs.stream().map(o -> ((JsonObject) o).getString("id"))).doesNotContain(id);
    // Nothing of Alice's changed.
    JsonObject mine = alice.json("GET", base, null, 200);
    assertThat(mine.getString("name")).isEqualTo("Alice's buyers");
    assertThat(mine.getLong("members")).isEqualTo(1);
    assertThat(
            alice
                .json("GET", base + "/rules", null, 200)
                .getJsonArray("items")
                .getJsonObject(0)
                .getBoolean("enabled"))
        .isTrue();
  }

  @Test
  void aCsvUploadAnswersEveryLineAndWritesTheGoodOnes() {
    String id = alice.createPortfolio("Uploaded");
    String csv =
        "reference,siren,exposure,payment_terms_days\n"
            + "S-1,"
            + SIRENS.get(0)
            + ",12000.50,60\n"
            + "S-2,123456789,1000,\n" // bad checksum
            + "S-3,000000083,1000,\n" // valid but unknown
            + "S-4,"
            + SIRENS.get(1)
            + ",,30\n" // no exposure
            + "S-5,"
            + SIRENS.get(0)
            + ",1,\n" // company already held as S-1
            + "\"S,6\","
            + SIRENS.get(2)
            + ",300,\n" // quoted comma in the reference
            + "S-1,"
            + SIRENS.get(0)
            + ",15000,45\n"; // an update of S-1
    HttpResponse<String> r =
        alice.call("POST", "/api/v1/portfolios/" + id + "/members/upload", csv, "text/csv");
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonObject> lines = ndjson(r.body());
    assertThat(lines).hasSize(8);
    assertThat(lines.subList(0, 7).stream().map(l -> l.getString("status")))
        .containsExactly("added", "error", "error", "error", "error", "added", "updated");
    assertThat(field(lines.get(1))).isEqualTo("siren");
    assertThat(code(lines.get(2))).isEqualTo("unknown_company");
    assertThat(field(lines.get(3))).isEqualTo("exposure");
    assertThat(code(lines.get(4))).isEqualTo("already_member");
    assertThat(lines.get(1).getLong("line")).isEqualTo(3);
    JsonObject summary = lines.get(7).getJsonObject("summary");
    assertThat(summary.getInteger("lines")).isEqualTo(7);
    assertThat(summary.getInteger("added")).isEqualTo(2);
    assertThat(summary.getInteger("updated")).isEqualTo(1);
    assertThat(summary.getInteger("error")).isEqualTo(4);

    JsonArray members =
        alice.json("GET", "/api/v1/portfolios/" + id + "/members", null, 200).getJsonArray("items");
    assertThat(members).hasSize(2);
    JsonObject s1 = members.getJsonObject(0);
    assertThat(s1.getString("reference")).isEqualTo("S,6");
    JsonObject s2 = members.getJsonObject(1);
    assertThat(s2.getString("exposure")).isEqualTo("15000.00");
    assertThat(s2.getInteger("payment_terms_days")).isEqualTo(45);
    assertThat(s2.getJsonObject("company").getString("id")).isEqualTo(SIRENS.get(0));
  }

  @Test
  void anNdjsonUploadAddsUpdatesAndRemovesAndTheListPagesByKeyset() {
    String id = alice.createPortfolio("Streamed");
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      body.append(
              new JsonObject()
                  .put("reference", "N-" + i)
                  .put("company", new JsonObject().put("country", "FR").put("id", SIRENS.get(i)))
                  .put("exposure", 1000 * (i + 1)))
          .append('\n');
    }
    body.append("{not json\n");
    body.append("{\"reference\":\"N-1\",\"action\":\"remove\"}\n");
    body.append("{\"reference\":\"N-9\",\"action\":\"remove\"}\n");
    List<JsonObject> lines =
        ndjson(
            alice
                .call(
                    "POST",
                    "/api/v1/portfolios/" + id + "/members/upload",
                    body.toString(),
                    "application/x-ndjson")
                .body());
    assertThat(lines.subList(0, 6).stream().map(l -> l.getString("status")))
        .containsExactly("added", "added", "added", "error", "removed", "error");
    assertThat(code(lines.get(3))).isEqualTo("malformed");
    assertThat(code(lines.get(5))).isEqualTo("not_a_member");

    JsonObject first =
        alice.json("GET", "/api/v1/portfolios/" + id + "/members?limit=1", null, 200);
    assertThat(first.getJsonArray("items").getJsonObject(0).getString("reference"))
        .isEqualTo("N-0");
    JsonObject second =
        alice.json(
            "GET",
            "/api/v1/portfolios/" + id + "/members?limit=1&after=" + first.getString("next"),
            null,
            200);
    assertThat(second.getJsonArray("items").getJsonObject(0).getString("reference"))
        .isEqualTo("N-2");
    JsonObject end =
        alice.json(
            "GET",
            "/api/v1/portfolios/" + id + "/members?limit=1&after=" + second.getString("next"),
            null,
            200);
    assertThat(end.getJsonArray("items")).isEmpty();
    assertThat(end.getString("next")).isNull();
    // Filters: the test companies are in Auvergne-Rhône-Alpes, sector 25.62A.
    assertThat(
            alice
                .json(
                    "GET",
                    "/api/v1/portfolios/" + id + "/members?sector=25&region=Bretagne",
                    null,
                    200)
                .getJsonArray("items"))
        .isEmpty();
    assertThat(
            alice
                .json("GET", "/api/v1/portfolios/" + id + "/members?sector=25.62", null, 200)
                .getJsonArray("items"))
        .hasSize(2);
    assertThat(alice.get("/api/v1/portfolios/" + id + "/members?score_below=x").statusCode())
        .isEqualTo(422);
  }

  @Test
  void oneMemberIsPutAndRemovedByItsReference() {
    String id = alice.createPortfolio("One by one");
    String path = "/api/v1/portfolios/" + id + "/members/R-1";
    assertThat(
            alice
                .call("PUT", path, "{\"siren\":\"" + SIRENS.get(3) + "\",\"exposure\":700}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            alice
                .call("PUT", path, "{\"siren\":\"" + SIRENS.get(3) + "\",\"exposure\":800}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> invalid = alice.call("PUT", path, "{\"siren\":\"" + SIRENS.get(3) + "\"}");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(alice.call("DELETE", path, null).statusCode()).isEqualTo(204);
    assertThat(alice.call("DELETE", path, null).statusCode()).isEqualTo(404);
    assertThat(
            alice
                .call(
                    "POST", "/api/v1/portfolios/" + id + "/members/upload", "x", "application/json")
                .statusCode())
        .isEqualTo(415);
  }

  static List<JsonObject> ndjson(String body) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  private static String field(JsonObject line) {
    return line.getJsonArray("errors").getJsonObject(0).getString("field");
  }

  private static String code(JsonObject line) {
    return line.getJsonArray("errors").getJsonObject(0).getString("code");
  }
}
