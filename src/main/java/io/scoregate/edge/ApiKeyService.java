package io.scoregate.edge;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates API keys and manages them. Stored keys are cached for a few seconds (the configured
 * {@code edge.keyCacheSeconds}), so a hot key costs one HMAC and no round trip, and a revocation
 * takes effect on every instance within that time.
 */
public final class ApiKeyService {

  private final TenantRepository tenants;
  private final ApiKeys keys;
  private final AsyncLoadingCache<String, Optional<TenantRepository.StoredKey>> cache;

  public ApiKeyService(TenantRepository tenants, ApiKeys keys, long cacheSeconds, Ticker ticker) {
    this.tenants = tenants;
    this.keys = keys;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(cacheSeconds))
            .ticker(ticker)
            .executor(Runnable::run)
            .buildAsync(
                (id, executor) ->
                    tenants
                        .key(id)
                        .map(Optional::ofNullable)
                        .toCompletionStage()
                        .toCompletableFuture());
  }

  /** The caller behind a presented key; fails with {@link InvalidCredentialsException}. */
  public Future<Caller> authenticate(String presented) {
    if (presented == null || presented.isBlank() || presented.length() > 200) {
      return Future.failedFuture(new InvalidCredentialsException());
    }
    String id = ApiKeys.idOf(presented);
    CompletableFuture<Optional<TenantRepository.StoredKey>> pending = cache.get(id);
    Future<Optional<TenantRepository.StoredKey>> stored =
        pending.isDone() && !pending.isCompletedExceptionally()
            ? Future.succeededFuture(pending.join())
            : Future.fromCompletionStage(pending, Vertx.currentContext());
    return stored.map(
        found -> {
          if (found.isEmpty()
              || found.get().revoked()
              || found.get().tenant().disabled()
              || !keys.matches(presented, found.get().secretHash())) {
            throw new InvalidCredentialsException();
          }
          return Caller.byApiKey(found.get().tenant(), found.get().id());
        });
  }

  /** Issues a new key for the tenant; the key is in the answer only. */
  public Future<ApiKeys.NewKey> issue(String tenantId, String label) {
    ApiKeys.NewKey key = keys.generate();
    return tenants.insertKey(key.id(), tenantId, keys.hash(key.key()), label).map(key);
  }

  /** Registers a key chosen by the operator (the demo key); idempotent. */
  public Future<String> register(String tenantId, String key, String label) {
    String id = ApiKeys.idOf(key);
    return tenants.insertKey(id, tenantId, keys.hash(key), label).map(id);
  }

  /**
   * A new key in place of an old one, which is revoked: here at once, on other instances within the
   * key cache time, as {@link #revoke} does.
   */
  public Future<ApiKeys.NewKey> rotate(String tenantId, String keyId) {
    return tenants
        .revoke(keyId, tenantId)
        .compose(
            revoked -> {
              cache.synchronous().invalidate(keyId);
              return revoked
                  ? issue(tenantId, "rotated from " + keyId)
                  : Future.failedFuture(new UnknownKeyException(keyId));
            });
  }

  public Future<Void> revoke(String tenantId, String keyId) {
    return tenants
        .revoke(keyId, tenantId)
        .compose(
            revoked -> {
              cache.synchronous().invalidate(keyId);
              return revoked
                  ? Future.succeededFuture()
                  : Future.failedFuture(new UnknownKeyException(keyId));
            });
  }

  public Future<List<JsonObject>> list(String tenantId) {
    return tenants.keys(tenantId);
  }
}
