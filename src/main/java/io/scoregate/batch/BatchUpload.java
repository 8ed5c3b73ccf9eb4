package io.scoregate.batch;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.scoregate.scoring.PolicyConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One submission being read: its lines are validated and written to Postgres in groups as they
 * arrive, so that only one group is ever in memory, while a SHA-256 of them is kept for {@code
 * Idempotency-Key}. The batch stays {@code validating}, invisible to workers, until {@link
 * BatchService#submit} queues it; a malformed submission is refused with its first bad lines and
 * leaves nothing behind.
 */
final class BatchUpload {

  private final UUID id;
  private final String tenantId;
  private final String mode;
  private final String source;
  private final UUID portfolioId;
  private final BatchConfig config;
  private final BatchRepository repository;
  private final BatchLines lines;
  private final MessageDigest digest;
  private final List<FieldError> malformed = new ArrayList<>();
  private final Future<Void> created;
  private List<BatchItem> pending = new ArrayList<>();
  private Future<Void> written = Future.succeededFuture();
  private long physicalLine;
  private int count;
  private int invalid;

  BatchUpload(
      UUID id,
      String tenantId,
      String mode,
      String source,
      UUID portfolioId,
      String requestId,
      BatchConfig config,
      PolicyConfig limits,
      BatchRepository repository,
      java.time.Instant now) {
    this.id = id;
    this.tenantId = tenantId;
    this.mode = mode;
    this.source = source;
    this.portfolioId = portfolioId;
    this.config = config;
    this.repository = repository;
    this.lines = new BatchLines(mode, limits);
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    digest.update((mode + "\n" + source + "\n").getBytes(StandardCharsets.UTF_8));
    this.created = repository.create(id, tenantId, mode, source, portfolioId, requestId, now);
  }

  UUID id() {
    return id;
  }

  String tenantId() {
    return tenantId;
  }

  String mode() {
    return mode;
  }

  String source() {
    return source;
  }

  UUID portfolioId() {
    return portfolioId;
  }

  int count() {
    return count;
  }

  int invalid() {
    return invalid;
  }

  /**
   * A physical line of a CSV or NDJSON upload. Returns null, or a future while a group is written:
   * the caller stops reading until it completes (backpressure to the client).
   */
  Future<Void> line(String text) {
    physicalLine++;
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    if (text.isBlank() || stopped()) {
      return null;
    }
    try {
      BatchItem item =
          source.equals("csv")
              ? lines.csv(count + 1, text, physicalLine)
              : lines.ndjson(count + 1, text, physicalLine);
      return item == null ? null : add(item);
    } catch (MalformedLineException e) {
      malformed.add(new FieldError("line " + e.line(), "malformed", e.getMessage()));
      return null;
    }
  }

  /** An item of a JSON body (already hashed whole by the caller) or a portfolio member. */
  Future<Void> item(Object value) {
    physicalLine++;
    if (stopped()) {
      return null;
    }
    try {
      return add(lines.json(count + 1, value, physicalLine));
    } catch (MalformedLineException e) {
      malformed.add(new FieldError("items[" + (e.line() - 1) + "]", "malformed", e.getMessage()));
      return null;
    }
  }

  /** For submissions hashed whole (JSON bodies): the hash to use instead of the lines'. */
  void hashed(byte[] hash) {
    digest.reset();
    digest.update(hash);
  }

  private boolean stopped() {
    return malformed.size() >= config.maxLineErrors();
  }

  private Future<Void> add(BatchItem item) {
    if (count >= config.maxLines()) {
      if (malformed.isEmpty() || !malformed.get(malformed.size() - 1).code().equals("too_many")) {
        malformed.add(
            new FieldError(
                "line " + physicalLine,
                "too_many",
                "A batch has at most " + config.maxLines() + " lines."));
      }
      return null;
    }
    count++;
    if (item.error() != null) {
      invalid++;
    }
    pending.add(item);
    return pending.size() >= config.insertRows() ? flush() : null;
  }

  /**
   * Writes the lines read so far; the next group is gathered meanwhile only by the caller's wait.
   */
  Future<Void> flush() {
    if (pending.isEmpty() || !malformed.isEmpty()) {
      pending.clear();
      return written;
    }
    List<BatchItem> group = pending;
    pending = new ArrayList<>(config.insertRows());
    written = written.compose(v -> created).compose(v -> repository.insertItems(id, group));
    return written;
  }

  /** Everything read and written: fails with the first bad lines if the input was malformed. */
  Future<Void> validated() {
    return flush()
        .compose(
            v -> {
              if (!malformed.isEmpty()) {
                return Future.failedFuture(
                    new ValidationException(
                        List.copyOf(malformed.subList(0, Math.min(malformed.size(), 10)))));
              }
              if (count == 0) {
                return Future.failedFuture(
                    new ValidationException(
                        List.of(
                            new FieldError(
                                "items", "required", "The batch has no lines to score."))));
              }
              return created;
            });
  }

  byte[] hash() {
    return digest.digest();
  }

  /** Removes what was written of a submission that is refused or replayed. */
  Future<Void> discard() {
    return written
        .transform(ignored -> created)
        .transform(ignored -> repository.discard(id))
        .recover(e -> Future.succeededFuture());
  }
}
