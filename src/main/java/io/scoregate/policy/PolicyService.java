package io.scoregate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the tenants' policies: submission (compiled and type-checked before anything is stored),
 * versions, activation and rollback, and on the hot path the compiled active policy of each tenant.
 * Each instance polls the activation counter every {@code policyRules.refreshMs} and swaps its map
 * of active policies in one reference write: a call in flight keeps the policy it started with, the
 * next call sees the new one, and no call waits for a compilation (done on a worker thread, once
 * per version, cached).
 */
public final class PolicyService {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

  private final Vertx vertx;
  private final PolicyRepository repository;
  private final ExposureRepository exposures;
  private final PolicyCompiler compiler;
  private final CompiledPolicy platform;
  private final PolicyRulesConfig config;
  private final Clock clock;
  private final Cache<String, CompiledPolicy> compiled;
  private volatile Map<String, CompiledPolicy> active = Map.of();
  private long seen = -1;
  private Future<Void> refreshing = Future.succeededFuture();
  private long timer = -1;
  private boolean stopped;

  public PolicyService(
      Vertx vertx,
      PolicyRepository repository,
      ExposureRepository exposures,
      PolicyCompiler compiler,
      CompiledPolicy platform,
      PolicyRulesConfig config,
      Clock clock) {
    this.vertx = vertx;
    this.repository = repository;
    this.exposures = exposures;
    this.compiler = compiler;
    this.platform = platform;
    this.config = config;
    this.clock = clock;
    this.compiled = Caffeine.newBuilder().maximumSize(1000).build();
  }

  /** The policy deciding the tenant's calls now: its active version, else the platform default. */
  public CompiledPolicy active(String tenantId) {
    CompiledPolicy policy = active.get(tenantId);
    return policy == null ? platform : policy;
  }

  /**
   * The tenant's active policy applied to one request. The tenant's exposure to the company is read
   * from its portfolios only when that policy reads {@code exposure}: other policies cost no query.
   */
  public Future<PolicyDecision> decide(String tenantId, long companyId, PolicyInputs inputs) {
    CompiledPolicy policy = active(tenantId);
    if (!policy.usesExposure()) {
      return Future.succeededFuture(policy.decide(inputs));
    }
    return exposures
        .exposure(tenantId, companyId)
        .map(exposure -> policy.decide(inputs.withExposure(exposure)));
  }

  public CompiledPolicy platform() {
    return platform;
  }

  /** Loads the active policies, then keeps them current until {@link #stop()}. */
  public Future<Void> start() {
    return refresh()
        .onSuccess(
            v -> {
              synchronized (this) {
                if (!stopped) {
                  timer =
                      vertx.setPeriodic(
                          config.refreshMs(),
                          id ->
                              refresh()
                                  .onFailure(
                                      e -> LOG.warn("policy refresh failed: {}", e.getMessage())));
                }
              }
            });
  }

  /**
   * No refresh starts after this, even when the first one is still running; completes when the
   * refresh running now has ended.
   */
  public synchronized Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return refreshing.otherwiseEmpty();
  }

  /** Re-reads the active versions when the activation counter moved; one refresh at a time. */
  public synchronized Future<Void> refresh() {
    refreshing = refreshing.transform(ignored -> refreshOnce());
    return refreshing;
  }

  private Future<Void> refreshOnce() {
    return repository
        .counter()
        .compose(
            counter -> {
              if (counter == seen) {
                return Future.succeededFuture();
              }
              return repository
                  .active()
                  .compose(
                      versions ->
                          vertx.executeBlocking(
                              () -> {
                                Map<String, CompiledPolicy> next = new HashMap<>();
                                versions.forEach(
                                    (tenant, stored) -> {
                                      if (stored != null) {
                                        next.put(
                                            tenant, compiled(stored.version(), stored.rules()));
                                      }
                                    });
                                return next;
                              },
                              false))
                  .map(
                      next -> {
                        active = Map.copyOf(next);
                        seen = counter;
                        return null;
                      });
            });
  }

  /** A stored version compiled (once: versions never change). */
  private CompiledPolicy compiled(String version, JsonArray rules) {
    return compiled.get(
        version, v -> compiler.compile(v, PolicyRule.parse(rules, Integer.MAX_VALUE)));
  }

  /**
   * The reason rule {@code ruleId} of the tenant's version {@code version} adds to an answer (its
   * code and texts), null when it adds none or the version or rule is unknown. Versions are
   * immutable, so this is what the answers it decided said.
   */
  public Future<PolicyRule.Reason> ruleReason(String tenantId, String version, String ruleId) {
    if (ruleId == null || version == null) {
      return Future.succeededFuture(null);
    }
    CompiledPolicy known =
        version.equals(platform.version()) ? platform : compiled.getIfPresent(version);
    if (known != null) {
      return Future.succeededFuture(reasonOf(known.rules(), ruleId));
    }
    return repository
        .version(tenantId, version)
        .map(
            stored ->
                stored == null
                    ? null
                    : reasonOf(PolicyRule.parse(stored.rules(), Integer.MAX_VALUE), ruleId));
  }

  private static PolicyRule.Reason reasonOf(List<PolicyRule> rules, String ruleId) {
    for (PolicyRule rule : rules) {
      if (rule.id().equals(ruleId)) {
        return rule.reason();
      }
    }
    return null;
  }

  /** The tenant's version compiled, or a 404 problem. */
  public Future<CompiledPolicy> version(String tenantId, String version) {
    return repository
        .version(tenantId, version)
        .compose(
            stored ->
                stored == null
                    ? Future.failedFuture(PolicyProblems.unknownVersion(tenantId, version))
                    : vertx.executeBlocking(
                        () -> compiled(stored.version(), stored.rules()), false));
  }

  /**
   * Checks and stores a new version ({@code {"rules": [...], "description": "..."}}) named after
   * the tenant and the day, e.g. {@code acme-2026-12-01.3}; an invalid policy is a 422 problem and
   * stores nothing.
   */
  public Future<JsonObject> submit(String tenantId, JsonObject body, String actor) {
    List<PolicyRule> rules = PolicyRule.parse(body.getValue("rules"), config.maxRules());
    Instant now = clock.instant();
    String prefix = tenantId + "-" + LocalDate.ofInstant(now, ZoneOffset.UTC);
    String description = body.getValue("description") instanceof String s ? s : null;
    return vertx
        .executeBlocking(() -> compiler.compile(prefix, rules), false)
        .compose(
            checked ->
                repository.insertVersion(
                    tenantId, prefix, PolicyRule.toJson(rules), description, actor, now))
        .compose(version -> repository.version(tenantId, version))
        .map(stored -> json(stored, null));
  }

  public Future<JsonObject> get(String tenantId, String version) {
    return Future.all(repository.version(tenantId, version), repository.history(tenantId))
        .compose(
            all -> {
              PolicyRepository.StoredVersion stored = all.resultAt(0);
              if (stored == null) {
                return Future.failedFuture(PolicyProblems.unknownVersion(tenantId, version));
              }
              return Future.succeededFuture(json(stored, current(all.resultAt(1))));
            });
  }

  /** The tenant's versions (newest first), the active one and the history of activations. */
  public Future<JsonObject> list(String tenantId) {
    return Future.all(repository.versions(tenantId), repository.history(tenantId))
        .map(
            all -> {
              List<PolicyRepository.StoredVersion> versions = all.resultAt(0);
              List<PolicyRepository.Activation> history = all.resultAt(1);
              String current = current(history);
              JsonArray out = new JsonArray();
              versions.forEach(v -> out.add(json(v, current).put("rules", null)));
              JsonArray changes = new JsonArray();
              history.forEach(h -> changes.add(h.json()));
              return new JsonObject()
                  .put("active_version", current == null ? platform.version() : current)
                  .put("platform_default", current == null)
                  .put("versions", out)
                  .put("history", changes);
            });
  }

  /** Makes the version active for the tenant; every instance follows within refreshMs. */
  public Future<JsonObject> activate(String tenantId, String version, String actor) {
    return version(tenantId, version)
        .compose(checked -> repository.activate(tenantId, version, false, actor, clock.instant()))
        .compose(this::refreshed);
  }

  /** Goes back to the version that was active before the current one. */
  public Future<JsonObject> rollback(String tenantId, String actor) {
    return repository
        .activate(tenantId, null, true, actor, clock.instant())
        .compose(this::refreshed);
  }

  private Future<JsonObject> refreshed(PolicyRepository.Activation activation) {
    JsonObject json = activation.json();
    if (activation.version() == null) {
      json.put("version", platform.version()).put("platform_default", true);
    }
    // This instance switches at once, the others at their next poll; the change is committed
    // already, so a slow refresh does not hold up the answer.
    refresh().onFailure(e -> LOG.warn("policy refresh failed: {}", e.getMessage()));
    return Future.succeededFuture(json);
  }

  private static String current(List<PolicyRepository.Activation> history) {
    return history.isEmpty() ? null : history.get(0).version();
  }

  private static JsonObject json(PolicyRepository.StoredVersion v, String current) {
    return new JsonObject()
        .put("version", v.version())
        .put("tenant_id", v.tenantId())
        .put("description", v.description())
        .put("created_by", v.createdBy())
        .put("created_at", v.createdAt().toString())
        .put("active", v.version().equals(current))
        .put("rules", v.rules());
  }
}
