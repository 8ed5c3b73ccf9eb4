package io.scoregate.batch;

import io.scoregate.edge.IdempotencyService;
import io.scoregate.edge.Quota;
import io.scoregate.edge.RateLimiter;
import io.scoregate.edge.Tenant;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.scoregate.scoring.PolicyConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Batch jobs for their owners: submission (validated whole, charged against the monthly quota, then
 * queued), status, listing, cancellation, results. The work itself is {@link BatchWorker}'s.
 *
 * <p>Quota: each line to work (valid at submission) counts as one call against the tenant's monthly
 * quota, all charged when the batch is accepted; a batch the remaining quota cannot cover is
 * refused whole, up front. Lines refused at validation cost nothing; cancelled lines are not given
 * back. The submit call itself counts as one call, as any other.
 */
public final class BatchService {

  private final BatchRepository repository;
  private final BatchConfig config;
  private final PolicyConfig limits;
  private final RateLimiter limiter;
  private final IdempotencyService idempotency;
  private final Clock clock;

  public BatchService(
      io.vertx.sqlclient.Pool pool,
      BatchConfig config,
      PolicyConfig limits,
      RateLimiter limiter,
      IdempotencyService idempotency,
      Clock clock) {
    this(new BatchRepository(pool), config, limits, limiter, idempotency, clock);
  }

  BatchService(
      BatchRepository repository,
      BatchConfig config,
      PolicyConfig limits,
      RateLimiter limiter,
      IdempotencyService idempotency,
      Clock clock) {
    this.repository = repository;
    this.config = config;
    this.limits = limits;
    this.limiter = limiter;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  BatchRepository repository() {
    return repository;
  }

  BatchConfig config() {
    return config;
  }

  /** A new submission to feed with lines (source csv, ndjson, json or portfolio). */
  BatchUpload open(
      String tenantId, String mode, String source, UUID portfolioId, String requestId) {
    if (!mode.equals("score") && !mode.equals("decision")) {
      throw new ValidationException(
          List.of(new FieldError("mode", "enum", "mode is \"score\" or \"decision\".")));
    }
    return new BatchUpload(
        UUID.randomUUID(),
        tenantId,
        mode,
        source,
        portfolioId,
        requestId,
        config,
        limits,
        repository,
        clock.instant());
  }

  /** Feeds a portfolio's members to the submission, a page at a time; 404 if not the tenant's. */
  Future<Void> readPortfolio(BatchUpload upload) {
    return repository
        .portfolioOf(upload.tenantId(), upload.portfolioId())
        .compose(
            mine ->
                mine
                    ? readMembers(upload, "")
                    : Future.failedFuture(ProblemException.notFound("No such portfolio.")));
  }

  private Future<Void> readMembers(BatchUpload upload, String after) {
    return repository
        .members(upload.portfolioId(), after, config.insertRows())
        .compose(
            rows -> {
              String last = after;
              Future<Void> written = Future.succeededFuture();
              for (Row r : rows) {
                last = r.getString(0);
                JsonObject member =
                    new JsonObject()
                        .put("reference", last)
                        .put(
                            "company",
                            new JsonObject()
                                .put("country", r.getString(1))
                                .put("id", r.getString(2)));
                if (upload.mode().equals("decision")) {
                  member.put("amount", r.getDouble(3)).put("payment_term", r.getInteger(4));
                }
                Future<Void> wait = upload.item(member);
                if (wait != null) {
                  written = wait;
                }
              }
              String next = last;
              return rows.size() < config.insertRows()
                  ? written
                  : written.compose(v -> readMembers(upload, next));
            });
  }

  /**
   * Queues a fully read submission: validated, charged against the quota (when {@code tenant} is
   * limited), then cut into chunks. With an {@code Idempotency-Key} the first submission's answer
   * is replayed and the new copy discarded. The answer is the batch resource.
   */
  Future<Buffer> submit(BatchUpload upload, Tenant tenant, String idempotencyKey) {
    Supplier<Future<Buffer>> queue =
        () ->
            upload
                .validated()
                .compose(v -> charge(tenant, upload))
                .compose(
                    charged ->
                        repository.queue(
                            upload.id(),
                            upload.count(),
                            upload.invalid(),
                            config.chunkSize(),
                            charged,
                            clock.instant()))
                .map(view -> json(view).toBuffer());
    Future<Buffer> answer =
        idempotencyKey == null
            ? queue.get()
            : idempotency.once(upload.tenantId(), idempotencyKey, upload.hash(), queue);
    return answer
        .compose(
            body ->
                upload.id().toString().equals(new JsonObject(body).getString("id"))
                    ? Future.succeededFuture(body)
                    : upload.discard().map(body))
        .recover(e -> upload.discard().transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Long> charge(Tenant tenant, BatchUpload upload) {
    long lines = upload.count() - upload.invalid();
    if (tenant == null || lines == 0) {
      return Future.succeededFuture(0L);
    }
    return limiter
        .reserve(tenant, lines)
        .recover(
            e ->
                Future.failedFuture(
                    ProblemException.unavailable(
                        "The monthly quota cannot be checked right now; retry the batch later.",
                        e)))
        .compose(
            r -> {
              if (r.reserved()) {
                return Future.succeededFuture(lines);
              }
              Instant reset =
                  clock.instant().plusMillis(r.resetMs()).truncatedTo(ChronoUnit.SECONDS);
              return Future.failedFuture(
                  new ProblemException(
                      429,
                      QUOTA_EXCEEDED,
                      "Monthly quota exceeded",
                      detailOf(lines, r, reset),
                      Map.of("Retry-After", Long.toString((r.resetMs() + 999) / 1000)),
                      null,
                      null));
            });
  }

  private static String detailOf(long lines, RateLimiter.Reservation r, Instant reset) {
    return "This batch has "
        + lines
        + " lines to work, each counted as a call; the monthly quota is "
        + r.limit()
        + " calls, "
        + r.used()
        + " used, "
        + Math.max(0, r.limit() - r.used())
        + " remaining until "
        + reset
        + ". Nothing was charged.";
  }

  static final String QUOTA_EXCEEDED = "quota-exceeded";

  /** Where the tenant stands, for the headers of the answer. */
  Future<Quota> standing(Tenant tenant) {
    return limiter.peek(tenant);
  }

  Future<BatchView> find(String tenantId, UUID id) {
    return repository
        .find(tenantId, id)
        .compose(
            view ->
                view == null || view.status().equals("validating")
                    ? Future.failedFuture(ProblemException.notFound("No such batch."))
                    : Future.succeededFuture(view));
  }

  Future<List<BatchView>> list(String tenantId, Instant beforeCreated, UUID beforeId, int limit) {
    return repository.list(tenantId, beforeCreated, beforeId, limit);
  }

  /** Cancels a batch not yet finished; a finished one is answered as it is. */
  Future<BatchView> cancel(String tenantId, UUID id) {
    Instant now = clock.instant();
    return find(tenantId, id)
        .compose(
            found ->
                found.finished()
                    ? Future.succeededFuture(found)
                    : repository.cancel(tenantId, id, now, expiry(now)));
  }

  /** A page of results after {@code afterLine}; 410 once purged. */
  Future<List<BatchRepository.StoredResult>> results(BatchView batch, int afterLine, int limit) {
    if (batch.purgedAt() != null) {
      return Future.failedFuture(
          new ProblemException(
              410,
              "results-purged",
              "Results purged",
              "The results of this batch were kept until "
                  + batch.expiresAt()
                  + " and are purged."));
    }
    return repository.results(batch.id(), afterLine, limit);
  }

  /** Purges the results of batches past their retention; returns how many batches. */
  public Future<Integer> purgeExpired() {
    Instant now = clock.instant();
    return repository
        .discardAbandoned(now.minusMillis(2 * config.uploadTimeoutMs()))
        .compose(ignored -> repository.purge(now, 100));
  }

  Instant expiry(Instant finished) {
    return finished.plus(Duration.ofHours(config.retentionHours()));
  }

  /** The batch resource: status, counts, rate and ETA while it runs, timestamps, links. */
  JsonObject json(BatchView b) {
    Instant now = clock.instant();
    int processed = b.succeeded() + b.failed();
    JsonObject json =
        new JsonObject()
            .put("id", b.id().toString())
            .put("status", b.status())
            .put("mode", b.mode())
            .put("source", b.source());
    if (b.portfolioId() != null) {
      json.put("portfolio_id", b.portfolioId().toString());
    }
    json.put(
        "counts",
        new JsonObject()
            .put("total", b.total())
            .put("done", processed)
            .put("succeeded", b.succeeded())
            .put("failed", b.failed())
            .put("invalid", b.invalid())
            .put("remaining", b.total() - processed));
    if (b.startedAt() != null) {
      Instant end = b.finishedAt() == null ? now : b.finishedAt();
      double seconds = Math.max(0.001, Duration.between(b.startedAt(), end).toMillis() / 1000.0);
      double rate = processed / seconds;
      json.put("rate_per_second", Math.round(rate * 10) / 10.0);
      if (b.status().equals("running") && rate > 0) {
        json.put(
            "eta",
            now.plusMillis((long) ((b.total() - processed) / rate * 1000))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString());
      }
    }
    json.put("quota_charged", b.quotaCharged());
    if (b.error() != null) {
      json.put("error", b.error());
    }
    json.put("created_at", text(b.createdAt()))
        .put("queued_at", text(b.queuedAt()))
        .put("started_at", text(b.startedAt()))
        .put("finished_at", text(b.finishedAt()))
        .put("results_expire_at", text(b.expiresAt()))
        .put("results_purged_at", text(b.purgedAt()));
    String self = "/api/v1/batches/" + b.id();
    json.put(
        "links",
        new JsonObject()
            .put("self", self)
            .put("results", self + "/results")
            .put("download", self + "/results/download"));
    return json;
  }

  JsonArray json(List<BatchView> views) {
    JsonArray out = new JsonArray();
    views.forEach(v -> out.add(json(v)));
    return out;
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
