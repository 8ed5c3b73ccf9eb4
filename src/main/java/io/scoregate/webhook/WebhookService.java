package io.scoregate.webhook;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A tenant's webhook endpoints and e-mail digests: validation, secrets (made here, shown once,
 * stored encrypted), rotation, tests, replays, attempts and statistics. Another tenant's endpoint
 * is unknown here (404).
 */
public final class WebhookService {

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]+$");

  private final WebhookConfig config;
  private final Pool pool;
  private final Clock clock;
  private final SecretBox secrets;
  private final SsrfGuard guard;
  private final EndpointRepository endpoints;
  private final OutboxRepository outbox;
  private final DigestRepository digests;
  private final Function<UUID, String> circuitState;

  public WebhookService(
      Vertx vertx,
      WebhookConfig config,
      Pool pool,
      Clock clock,
      Function<UUID, String> circuitState) {
    this.config = config;
    this.pool = pool;
    this.clock = clock;
    this.secrets = new SecretBox(config.secretKey());
    this.guard = new SsrfGuard(vertx, config.allowList());
    this.endpoints = new EndpointRepository(pool);
    this.outbox = new OutboxRepository(pool);
    this.digests = new DigestRepository(pool);
    this.circuitState = circuitState;
  }

  /** The new endpoint, with its secret: the only time the secret is shown. */
  Future<JsonObject> create(String tenantId, JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    String url = url(body.getValue("url"), errors);
    List<String> types = eventTypes(body.getValue("event_types"), errors);
    UUID portfolio = optionalUuid(body, "portfolio_id", errors);
    String description = optionalText(body, "description", 500, errors);
    String owner = optionalEmail(body, "owner_email", errors);
    fail(errors);
    UUID id = UUID.randomUUID();
    String secret = secrets.newSecret();
    Instant now = clock.instant();
    Endpoint endpoint =
        new Endpoint(
            id,
            tenantId,
            url,
            description == null ? "" : description,
            types,
            portfolio,
            owner,
            true,
            null,
            secrets.encrypt(secret, id.toString()),
            null,
            null,
            null,
            now,
            now);
    return reachable(url)
        .compose(v -> endpoints.insert(endpoint))
        .map(saved -> view(saved).put("secret", secret));
  }

  Future<JsonArray> list(String tenantId) {
    return endpoints
        .list(tenantId)
        .map(all -> new JsonArray(all.stream().map(e -> (Object) view(e)).toList()));
  }

  Future<JsonObject> get(String tenantId, UUID id) {
    return owned(tenantId, id).map(this::view);
  }

  /** Changes what the body names; {@code enabled: false} pauses deliveries, true resumes them. */
  Future<JsonObject> update(String tenantId, UUID id, JsonObject body) {
    return owned(tenantId, id)
        .compose(
            current -> {
              List<FieldError> errors = new ArrayList<>();
              String url =
                  body.containsKey("url") ? url(body.getValue("url"), errors) : current.url();
              List<String> types =
                  body.containsKey("event_types")
                      ? eventTypes(body.getValue("event_types"), errors)
                      : current.eventTypes();
              UUID portfolio =
                  body.containsKey("portfolio_id")
                      ? optionalUuid(body, "portfolio_id", errors)
                      : current.portfolioId();
              String description =
                  body.containsKey("description")
                      ? optionalText(body, "description", 500, errors)
                      : current.description();
              String owner =
                  body.containsKey("owner_email")
                      ? optionalEmail(body, "owner_email", errors)
                      : current.ownerEmail();
              boolean enabled = current.enabled();
              if (body.containsKey("enabled")) {
                if (body.getValue("enabled") instanceof Boolean b) {
                  enabled = b;
                } else {
                  errors.add(new FieldError("enabled", "type", "enabled must be true or false."));
                }
              }
              fail(errors);
              String reason =
                  enabled
                      ? null
                      : current.enabled() ? "disabled by the owner" : current.disabledReason();
              Endpoint changed =
                  new Endpoint(
                      id,
                      tenantId,
                      url,
                      description == null ? "" : description,
                      types,
                      portfolio,
                      owner,
                      enabled,
                      reason,
                      current.secretEnc(),
                      current.previousSecretEnc(),
                      current.previousSecretUntil(),
                      current.failingSince(),
                      current.createdAt(),
                      clock.instant());
              Future<Void> check =
                  url.equals(current.url()) ? Future.succeededFuture() : reachable(url);
              return check.compose(v -> endpoints.update(changed)).map(this::view);
            });
  }

  Future<Void> delete(String tenantId, UUID id) {
    return endpoints
        .delete(tenantId, id)
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(unknown()));
  }

  /** A new secret, shown once; the previous one goes on signing for the configured overlap. */
  Future<JsonObject> rotate(String tenantId, UUID id) {
    String secret = secrets.newSecret();
    Instant now = clock.instant();
    Instant until = now.plus(Duration.ofHours(config.rotationOverlapHours()));
    return endpoints
        .rotate(tenantId, id, secrets.encrypt(secret, id.toString()), until, now)
        .compose(e -> e == null ? Future.failedFuture(unknown()) : Future.succeededFuture(e))
        .map(e -> view(e).put("secret", secret));
  }

  /** Queues a {@code ping}; answers its message id. */
  Future<JsonObject> test(String tenantId, UUID id) {
    return owned(tenantId, id)
        .compose(e -> pool.withTransaction(tx -> WebhookOutbox.ping(tx, e, clock.instant())))
        .map(messageId -> new JsonObject().put("message_id", messageId));
  }

  Future<JsonArray> attempts(String tenantId, UUID id, int limit) {
    return owned(tenantId, id).compose(e -> outbox.attempts(tenantId, id, limit));
  }

  Future<JsonArray> messages(String tenantId, UUID id, String status, int limit) {
    if (status != null && !List.of("pending", "delivered", "dead").contains(status)) {
      throw invalid("status", "enum", "status must be pending, delivered or dead.");
    }
    return owned(tenantId, id).compose(e -> outbox.messages(tenantId, id, status, limit));
  }

  Future<Void> replay(String tenantId, UUID id, String messageId) {
    return owned(tenantId, id)
        .compose(e -> outbox.replay(tenantId, id, messageId, clock.instant()))
        .compose(
            found ->
                found
                    ? Future.succeededFuture()
                    : Future.failedFuture(ProblemException.notFound("No message with this id.")));
  }

  Future<JsonObject> replaySince(String tenantId, UUID id, JsonObject body) {
    Object since = body.getValue("since");
    Instant from;
    try {
      from = Instant.parse((String) since);
    } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
      throw invalid(
          "since", "format", "since must be an ISO-8601 instant, e.g. 2026-06-01T00:00:00Z.");
    }
    return owned(tenantId, id)
        .compose(e -> outbox.replaySince(tenantId, id, from, clock.instant()))
        .map(n -> new JsonObject().put("replayed", n));
  }

  Future<JsonObject> stats(String tenantId, UUID id, Duration window) {
    return owned(tenantId, id)
        .compose(e -> outbox.stats(tenantId, id, clock.instant().minus(window)))
        .map(s -> s.put("circuit", circuitState.apply(id)));
  }

  Future<JsonObject> createDigest(String tenantId, JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    UUID portfolio = optionalUuid(body, "portfolio_id", errors);
    if (portfolio == null && errors.isEmpty()) {
      errors.add(new FieldError("portfolio_id", "required", "portfolio_id is required."));
    }
    List<String> recipients = new ArrayList<>();
    if (body.getValue("recipients") instanceof JsonArray list
        && !list.isEmpty()
        && list.size() <= 50) {
      for (Object r : list) {
        if (r instanceof String s && EMAIL.matcher(s).matches()) {
          recipients.add(s);
        } else {
          errors.add(
              new FieldError("recipients", "format", "each recipient must be an e-mail address."));
          break;
        }
      }
    } else {
      errors.add(
          new FieldError(
              "recipients", "required", "recipients must list 1 to 50 e-mail addresses."));
    }
    String period = body.getValue("period") instanceof String p ? p : null;
    // Set.of(...).contains(null) throws: a JSON null or a missing field is checked first.
    if (period == null || !DigestRepository.PERIODS.contains(period)) {
      errors.add(new FieldError("period", "enum", "period must be immediately, hourly or daily."));
    }
    Object lang = body.getValue("language", "en");
    if (!(lang instanceof String) || !DigestRepository.LANGUAGES.contains(lang)) {
      errors.add(new FieldError("language", "enum", "language must be en or fr."));
    }
    fail(errors);
    return digests
        .create(tenantId, portfolio, recipients, period, (String) lang, clock.instant())
        .map(DigestRepository.Digest::toJson);
  }

  Future<JsonArray> digests(String tenantId) {
    return digests
        .list(tenantId)
        .map(all -> new JsonArray(all.stream().map(d -> (Object) d.toJson()).toList()));
  }

  Future<Void> deleteDigest(String tenantId, UUID id) {
    return digests
        .delete(tenantId, id)
        .compose(
            deleted ->
                deleted
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        ProblemException.notFound("No e-mail digest with this id.")));
  }

  private JsonObject view(Endpoint e) {
    return e.toJson().put("circuit", circuitState.apply(e.id()));
  }

  private Future<Endpoint> owned(String tenantId, UUID id) {
    return endpoints
        .find(tenantId, id)
        .compose(e -> e == null ? Future.failedFuture(unknown()) : Future.succeededFuture(e));
  }

  private static ProblemException unknown() {
    return ProblemException.notFound("No webhook endpoint with this id.");
  }

  /** The SSRF guard's verdict on the URL's host, as a 422 naming {@code url}. */
  private Future<Void> reachable(String url) {
    return guard
        .resolve(URI.create(url).getHost())
        .<Void>mapEmpty()
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof SsrfGuard.RefusedAddressException
                        ? invalid("url", "address", "url refused: " + e.getMessage() + ".")
                        : e));
  }

  private String url(Object value, List<FieldError> errors) {
    if (!(value instanceof String text) || text.isBlank() || text.length() > 2048) {
      errors.add(new FieldError("url", "required", "url is required (at most 2048 characters)."));
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme =
          uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      boolean schemeOk = scheme.equals("https") || (scheme.equals("http") && config.allowHttp());
      if (!schemeOk) {
        errors.add(
            new FieldError(
                "url",
                "scheme",
                config.allowHttp() ? "url must be http or https." : "url must be https."));
      } else if (uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getFragment() != null) {
        errors.add(
            new FieldError(
                "url", "format", "url needs a host, and no user information or fragment."));
      }
      return text;
    } catch (URISyntaxException e) {
      errors.add(new FieldError("url", "format", "url is not a valid URL."));
      return null;
    }
  }

  private static List<String> eventTypes(Object value, List<FieldError> errors) {
    if (value instanceof JsonArray list && !list.isEmpty()) {
      List<String> types = new ArrayList<>();
      for (Object t : list) {
        if (!(t instanceof String s) || !Endpoint.EVENT_TYPES.contains(s)) {
          errors.add(
              new FieldError(
                  "event_types",
                  "enum",
                  "event_types may hold " + String.join(", ", Endpoint.EVENT_TYPES) + "."));
          return List.of();
        }
        if (!types.contains(s)) {
          types.add(s);
        }
      }
      return types;
    }
    errors.add(
        new FieldError(
            "event_types", "required", "event_types must list at least one event type."));
    return List.of();
  }

  private static UUID optionalUuid(JsonObject body, String field, List<FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString((String) value);
    } catch (ClassCastException | IllegalArgumentException e) {
      errors.add(new FieldError(field, "format", field + " must be a UUID."));
      return null;
    }
  }

  private static String optionalText(
      JsonObject body, String field, int max, List<FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() > max) {
      errors.add(
          new FieldError(
              field, "format", field + " must be text of at most " + max + " characters."));
      return null;
    }
    return s;
  }

  private static String optionalEmail(JsonObject body, String field, List<FieldError> errors) {
    String value = optionalText(body, field, 320, errors);
    if (value != null && !EMAIL.matcher(value).matches()) {
      errors.add(new FieldError(field, "format", field + " must be an e-mail address."));
      return null;
    }
    return value;
  }

  private static void fail(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  static ProblemException invalid(String field, String code, String message) {
    return new ValidationException(List.of(new FieldError(field, code, message)));
  }
}
