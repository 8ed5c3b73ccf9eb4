package io.scoregate.rollout;

import io.scoregate.company.Ratios;
import io.scoregate.model.Grades;
import io.scoregate.model.ScoringModel;
import io.scoregate.model.ServingModels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry and rollout of models: registers artifacts, moves them between candidate, shadow,
 * champion and retired, and keeps this instance serving what the registry says. Every instance
 * polls the registry, so a promotion made on one reaches all within the poll interval, without a
 * restart; the instance that made the change applies it at once.
 */
public final class RolloutService {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);

  private final Vertx vertx;
  private final ModelRegistryRepository registry;
  private final ServingModels serving;
  private final Clock clock;

  private Future<Void> lastSync = Future.succeededFuture();

  /** Artifacts already parsed, by version: a swap back and forth parses nothing. */
  private final Map<String, ScoringModel> loaded = new ConcurrentHashMap<>();

  public RolloutService(
      Vertx vertx, ModelRegistryRepository registry, ServingModels serving, Clock clock) {
    this.vertx = vertx;
    this.registry = registry;
    this.serving = serving;
    this.clock = clock;
    ScoringModel current = serving.champion();
    loaded.put(current.version(), current);
  }

  /**
   * At start: registers the model this instance was started with (when the registry does not have
   * that version) and makes it the champion when there is none yet; then serves what the registry
   * says.
   */
  public Future<Void> bootstrap(String artifactJson, JsonObject report) {
    ScoringModel model = serving.champion();
    return register(artifactJson, report, "bootstrap")
        .compose(ignored -> registry.assignment())
        .compose(
            a ->
                a.champion() != null
                    ? Future.succeededFuture()
                    : registry
                        .change(
                            model.version(),
                            ModelStatus.CHAMPION,
                            clock.instant(),
                            "bootstrap",
                            "first champion")
                        .recover(
                            // Another instance starting at the same time got there first.
                            e -> Future.succeededFuture()))
        .compose(ignored -> sync());
  }

  /** Polls the registry every {@code pollMs}; returns the timer id. */
  public long start(long pollMs) {
    return vertx.setPeriodic(
        pollMs,
        id -> sync().onFailure(e -> LOG.warn("model registry not read: {}", e.getMessage())));
  }

  /** Completes when the syncs started so far have run, e.g. before a stop closes the pool. */
  public synchronized Future<Void> pending() {
    return lastSync.otherwiseEmpty();
  }

  /**
   * Serves the registry's champion and shadow, loading their artifacts when new. Syncs run one
   * after another: a poll that read the registry before a promotion cannot finish after it and put
   * the old line-up back.
   */
  public synchronized Future<Void> sync() {
    Future<Void> next = lastSync.transform(previous -> readAndServe());
    lastSync = next;
    return next;
  }

  private Future<Void> readAndServe() {
    return registry
        .assignment()
        .compose(
            a -> {
              ServingModels.Lineup now = serving.lineup();
              boolean same =
                  a.champion() != null
                      && a.champion().equals(now.champion().version())
                      && java.util.Objects.equals(a.shadow(), now.shadowVersion());
              if (same || a.champion() == null) {
                return Future.succeededFuture();
              }
              Future<ScoringModel> champion = model(a.champion());
              Future<ScoringModel> shadow =
                  a.shadow() == null ? Future.succeededFuture(null) : model(a.shadow());
              return Future.all(champion, shadow)
                  .map(
                      ignored -> {
                        serving.serve(champion.result(), shadow.result());
                        LOG.info("serving champion {} with shadow {}", a.champion(), a.shadow());
                        return null;
                      });
            });
  }

  public Future<List<RegisteredModel>> list() {
    return registry.list();
  }

  public Future<Boolean> register(String artifactJson, JsonObject report, String actor) {
    return register(vertx, registry, clock, artifactJson, report, actor);
  }

  /**
   * Registers an artifact as a candidate (parsed first, off the event loop, so that only a model
   * this gateway can serve is registered: its features must be the ratios the gateway computes, in
   * their order); false when its version is already registered.
   */
  public static Future<Boolean> register(
      Vertx vertx,
      ModelRegistryRepository registry,
      Clock clock,
      String artifactJson,
      JsonObject report,
      String actor) {
    return vertx
        .executeBlocking(() -> parse(artifactJson))
        .compose(
            model ->
                !model.featureNames().equals(Ratios.NAMES)
                    ? Future.failedFuture(
                        RolloutProblems.unservable(
                            "model "
                                + model.version()
                                + " reads other features than the 64 ratios this gateway"
                                + " computes ("
                                + Ratios.NAMES.get(0)
                                + ".."
                                + Ratios.NAMES.get(Ratios.NAMES.size() - 1)
                                + ")."))
                    : registry.register(
                        model.version(),
                        sha256(artifactJson),
                        artifactJson,
                        metrics(model),
                        report,
                        clock.instant(),
                        actor));
  }

  public Future<Void> promote(String version, String actor, String reason) {
    return change(version, ModelStatus.CHAMPION, actor, reason);
  }

  public Future<Void> shadow(String version, String actor, String reason) {
    return change(version, ModelStatus.SHADOW, actor, reason);
  }

  public Future<Void> retire(String version, String actor, String reason) {
    return change(version, ModelStatus.RETIRED, actor, reason);
  }

  /** The champion before the current one comes back. */
  public Future<String> rollback(String actor, String reason) {
    return registry
        .previousChampion()
        .compose(
            version ->
                version == null
                    ? Future.failedFuture(
                        RolloutProblems.conflict("No earlier champion to roll back to."))
                    : change(version, ModelStatus.CHAMPION, actor, "rollback: " + reason)
                        .map(version));
  }

  public Future<List<ModelRegistryRepository.Change>> changes(int limit) {
    return registry.changes(limit);
  }

  public Future<JsonObject> shadowReport(String version) {
    return registry
        .artifact(version)
        .compose(
            artifact ->
                artifact == null
                    ? Future.failedFuture(RolloutProblems.unknownModel(version))
                    : registry.shadowComparison(version, Grades.upperBounds()));
  }

  public Future<JsonObject> report(String version) {
    return registry.report(version);
  }

  private Future<Void> change(String version, ModelStatus target, String actor, String reason) {
    return registry
        .change(version, target, clock.instant(), actor, reason)
        .compose(ignored -> sync());
  }

  private Future<ScoringModel> model(String version) {
    ScoringModel known = loaded.get(version);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return registry
        .artifact(version)
        .compose(json -> vertx.executeBlocking(() -> parse(json)))
        .map(
            model -> {
              loaded.put(version, model);
              return model;
            });
  }

  private static ScoringModel parse(String json) throws java.io.IOException {
    return ScoringModel.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonObject metrics(ScoringModel model) {
    JsonObject metrics =
        model.metadata().has("metrics")
            ? new JsonObject(model.metadata().get("metrics").toString())
            : new JsonObject();
    if (model.metadata().has("validation")) {
      metrics.put("validation", new JsonObject(model.metadata().get("validation").toString()));
    }
    return metrics;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
