package io.scoregate.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoregate.model.ModelTrainer;
import io.scoregate.model.ScoringModel;
import io.scoregate.model.TrainingData;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model registry on a running gateway: the shipped model is the champion, a candidate runs in
 * shadow (its scores in the shadow table, the journal keeps the champion's), is promoted and rolled
 * back through the admin API without a restart and without failing calls, and every change is in
 * the log. A second instance follows the registry by polling.
 */
class RolloutIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-06-15T10:00:00Z"));
  private static final String SHIPPED =
      ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE).version();
  private static final Path DATA =
      Path.of(
          System.getProperty("scoregate.shared.dir", "../shared"),
          "data",
          "polish-5year-train.csv");

  @TempDir static Path dir;
  private static TestGateway gateway;
  private static String adminKey;
  private static String adminTenant;
  private static String candidate;
  private static String candidateArtifact;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    gateway = TestGateway.start(CLOCK, Map.of("SCOREGATE_MODEL_REGISTRY_POLL_MS", "200"));
    adminTenant = "adm" + System.nanoTime();
    adminKey = TestTenants.create(gateway.config(), adminTenant, "admin", 1000, 1_000_000);
    // A quick candidate: few rounds, its own version.
    candidate = "it-" + System.nanoTime();
    Path artifact =
        new ModelTrainer(Clock.systemUTC())
            .train(
                TrainingData.read(DATA),
                DATA,
                new ModelTrainer.Params(30, 0.1, 3, 0.8, 0.8, 1, 1, 11),
                3,
                candidate,
                dir,
                null)
            .artifact();
    candidateArtifact = Files.readString(artifact);
    Boolean registered =
        gateway
            .gateway()
            .rollout()
            .register(candidateArtifact, null, "test")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(registered).isTrue();
  }

  @AfterEach
  void backToTheShippedChampion() {
    if (!SHIPPED.equals(champion())) {
      assertThat(admin("POST", "/admin/v1/models/" + SHIPPED + "/promote").statusCode())
          .isEqualTo(200);
    }
    if (status(candidate).equals("shadow")) {
      assertThat(admin("POST", "/admin/v1/models/" + candidate + "/retire").statusCode())
          .isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> admin(String method, String path) {
    return gateway.send(
        HttpRequest.newBuilder(gateway.uri(path))
            .header("X-API-Key", adminKey)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static JsonArray models() {
    HttpResponse<String> response = admin("GET", "/admin/v1/models");
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("models");
  }

  private static String status(String version) {
    return models().stream()
        .map(JsonObject.class::cast)
        .filter(m -> m.getString("version").equals(version))
        .map(m -> m.getString("status"))
        .findFirst()
        .orElseThrow();
  }

  private static String champion() {
    return models().stream()
        .map(JsonObject.class::cast)
        .filter(m -> m.getString("status").equals("champion"))
        .map(m -> m.getString("version"))
        .findFirst()
        .orElseThrow();
  }

  private static String newCompany() {
    String siren = TestCompanies.newSiren();
    TestCompanies.insert(siren, "Rollout " + siren, 0.6);
    return siren;
  }

  private static JsonObject decide(String siren) {
    HttpResponse<String> response =
        gateway.post(
            "/api/v1/scoring", "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void theShippedModelIsTheChampionAndOnlyAdminsSeeTheRegistry() {
    assertThat(champion()).isEqualTo(SHIPPED);
    assertThat(status(candidate)).isIn("candidate", "retired");
    HttpResponse<String> notAdmin = gateway.get("/admin/v1/models");
    assertThat(notAdmin.statusCode()).isEqualTo(403);
    assertThat(admin("POST", "/admin/v1/models/no-such-version/promote").statusCode())
        .isEqualTo(404);
    // The champion is replaced by promoting another model, never retired on its own.
    HttpResponse<String> retire = admin("POST", "/admin/v1/models/" + SHIPPED + "/retire");
    assertThat(retire.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(retire.body()).getString("type"))
        .isEqualTo("/problems/rollout-conflict");
  }

  @Test
  void theShippedModelComesWithItsValidationReport() {
    HttpResponse<String> report = admin("GET", "/admin/v1/models/" + SHIPPED + "/report");
    assertThat(report.statusCode()).isEqualTo(200);
    JsonObject json = new JsonObject(report.body());
    assertThat(json.getString("model_version")).isEqualTo(SHIPPED);
    assertThat(json.getJsonObject("performance").getJsonArray("calibration")).isNotEmpty();
  }

  @Test
  void aModelReadingOtherFeaturesIsRefused(@TempDir Path other) throws Exception {
    TrainingData data = TrainingData.read(DATA);
    Path artifact =
        new ModelTrainer(Clock.systemUTC())
            .train(
                data.select(List.of("Attr1", "Attr2", "Attr3")),
                DATA,
                new ModelTrainer.Params(5, 0.3, 2, 1, 1, 1, 1, 3),
                2,
                "it-three-ratios-" + System.nanoTime(),
                other,
                null)
            .artifact();
    var registered =
        gateway
            .gateway()
            .rollout()
            .register(Files.readString(artifact), null, "test")
            .toCompletionStage()
            .toCompletableFuture();
    assertThat(registered)
        .failsWithin(Duration.ofSeconds(30))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("other features");
  }

  @Test
  void aShadowScoresBesideTheChampionWithoutDeciding() throws Exception {
    assertThat(admin("POST", "/admin/v1/models/" + candidate + "/shadow").statusCode())
        .isEqualTo(200);
    assertThat(gateway.get("/health/ready").body()).contains("\"shadow_model\":\"" + candidate);

    List<String> companies = List.of(newCompany(), newCompany(), newCompany());
    for (String siren : companies) {
      JsonObject decision = decide(siren);
      assertThat(decision.getString("model_version")).isEqualTo(SHIPPED);
    }
    String in = "('" + String.join("','", companies) + "')";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                TestPostgres.count(
                        "SELECT count(*) FROM shadow_scores WHERE national_id IN "
                            + in
                            + " AND candidate_version = '"
                            + candidate
                            + "' AND champion_version = '"
                            + SHIPPED
                            + "'")
                    == companies.size());
    // The journal keeps the champion's decision only.
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM decision_journal WHERE national_id IN "
                    + in
                    + " AND model_version = '"
                    + SHIPPED
                    + "'"))
        .isEqualTo(companies.size());
    // The shadow's PD is the candidate's own for the features the decision used.
    ScoringModel model =
        ScoringModel.load(new java.io.ByteArrayInputStream(candidateArtifact.getBytes()));
    String siren = companies.get(0);
    JsonObject features =
        new JsonObject(
                TestPostgres.string(
                    "SELECT a.body FROM decision_journal j JOIN assessments a"
                        + " ON a.hash = j.assessment_hash WHERE j.national_id = '"
                        + siren
                        + "'"))
            .getJsonObject("features");
    double[] x = new double[model.featureNames().size()];
    for (int i = 0; i < x.length; i++) {
      Double value = features.getDouble(model.featureNames().get(i));
      x[i] = value == null ? Double.NaN : value;
    }
    double shadowPd =
        Double.parseDouble(
            TestPostgres.string(
                "SELECT candidate_pd FROM shadow_scores WHERE national_id = '" + siren + "'"));
    assertThat(shadowPd).isCloseTo(model.pd(x), org.assertj.core.data.Offset.offset(1e-6));

    HttpResponse<String> report = admin("GET", "/admin/v1/models/" + candidate + "/shadow-report");
    assertThat(report.statusCode()).isEqualTo(200);
    JsonObject comparison = new JsonObject(report.body());
    assertThat(comparison.getLong("evaluations")).isGreaterThanOrEqualTo(companies.size());
    assertThat(comparison.getJsonArray("champion_versions").getList()).containsExactly(SHIPPED);
    assertThat(comparison.getJsonArray("grade_migration")).isNotEmpty();
  }

  @Test
  void promotionAndRollbackSwapTheChampionWithoutFailingCalls() throws Exception {
    List<String> companies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      companies.add(newCompany());
    }
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int wave = 0; wave < 6; wave++) {
      for (String siren : companies) {
        calls.add(gateway.decideAsync(siren));
      }
      // Swap while the wave is in flight: every swap drops the score cache, so the next calls
      // evaluate the model again.
      String target = wave % 2 == 0 ? candidate : SHIPPED;
      assertThat(admin("POST", "/admin/v1/models/" + target + "/promote").statusCode())
          .isEqualTo(200);
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    // After the last swap (back to the shipped model), then a promotion: decisions follow.
    assertThat(admin("POST", "/admin/v1/models/" + candidate + "/promote").statusCode())
        .isEqualTo(200);
    assertThat(decide(companies.get(0)).getString("model_version")).isEqualTo(candidate);
    HttpResponse<String> rollback = admin("POST", "/admin/v1/models/rollback");
    assertThat(rollback.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(rollback.body()).getString("champion")).isEqualTo(SHIPPED);
    assertThat(decide(companies.get(0)).getString("model_version")).isEqualTo(SHIPPED);

    // Every change is in the log, with who made it.
    JsonArray changes =
        new JsonObject(admin("GET", "/admin/v1/models/changes").body()).getJsonArray("changes");
    JsonObject last = changes.getJsonObject(0);
    assertThat(last.getString("version")).isEqualTo(SHIPPED);
    assertThat(last.getString("to_status")).isEqualTo("champion");
    assertThat(last.getString("reason")).startsWith("rollback");
    assertThat(last.getString("actor")).startsWith(adminTenant + "/");
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM model_changes WHERE version = '"
                    + candidate
                    + "' AND to_status = 'champion'"))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void anotherInstanceFollowsTheRegistry() throws Exception {
    try (TestGateway second =
        TestGateway.start(CLOCK, Map.of("SCOREGATE_MODEL_REGISTRY_POLL_MS", "200"))) {
      String siren = newCompany();
      assertThat(admin("POST", "/admin/v1/models/" + candidate + "/promote").statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> second.get("/health/ready").body().contains("\"model\":\"" + candidate));
      HttpResponse<String> response =
          second.post(
              "/api/v1/scoring",
              "{\"siren\":\"" + siren + "\",\"amount\":1000,\"payment_term\":30}");
      assertThat(new JsonObject(response.body()).getString("model_version")).isEqualTo(candidate);
    }
  }
}
