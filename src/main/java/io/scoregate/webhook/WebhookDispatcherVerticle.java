package io.scoregate.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Runs on every instance; instances share nothing but the rows they lock.
 * Every {@code webhook.pollMs} it claims due messages (SKIP LOCKED, under a lease) for which it has
 * room: at most {@code maxInFlight} deliveries in all and {@code maxInFlightPerEndpoint} per
 * endpoint, none to an endpoint whose circuit is open, so a slow or dead endpoint only ever holds
 * its own slots. When a claim got an endpoint's whole quota, more of its messages may be due: the
 * next claim then starts as soon as that endpoint has drained what it holds, not at the next poll,
 * so an endpoint's rate is bounded by its receiver and {@code maxInFlightPerEndpoint}, not by
 * {@code pollMs}. Each attempt's outcome (the attempt row, the message's next state, the endpoint's
 * failure streak, a disablement and its notice to the owner) commits in one transaction, and only
 * if this dispatcher's claim still holds: a message is delivered at least once, and twice only when
 * an instance died (or lost its database) between sending and recording.
 */
public final class WebhookDispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcherVerticle.class);

  private final WebhookConfig config;
  private final Pool pool;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final SecretBox secrets;
  private final RetrySchedule schedule;
  private final CircuitBreakerRegistry breakers;
  private final Map<UUID, Integer> inFlightPerEndpoint = new HashMap<>();
  private final Map<UUID, ArrayDeque<OutboxMessage>> waiting = new HashMap<>();
  private final Map<UUID, Instant> openUntil = new HashMap<>();

  /** Endpoints whose last claim was cut at their quota: more of their messages may be due. */
  private final Set<UUID> saturated = new HashSet<>();

  private final AtomicLong queueDepth = new AtomicLong();
  private final AtomicLong oldestAgeMs = new AtomicLong();
  private int inFlight;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopping;
  private OutboxRepository outbox;
  private EndpointRepository endpoints;
  private SsrfGuard guard;
  private WebClient http;
  private MailClient mail;
  private long pollTimer = -1;
  private long metricsTimer = -1;
  private long digestTimer = -1;

  public WebhookDispatcherVerticle(
      WebhookConfig config, Pool pool, Clock clock, MeterRegistry metrics) {
    this.config = config;
    this.pool = pool;
    this.clock = clock;
    this.metrics = metrics;
    this.secrets = new SecretBox(config.secretKey());
    this.schedule =
        new RetrySchedule(
            config.retryScheduleSeconds(),
            config.jitter(),
            config.maxRetryAfterSeconds(),
            () -> ThreadLocalRandom.current().nextDouble());
    WebhookConfig.BreakerConfig b = config.breaker();
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slidingWindowSize(b.slidingWindowSize())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(Duration.ofSeconds(b.openSeconds()))
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(clock)
                .build());
    breakers
        .getEventPublisher()
        .onEntryAdded(
            added ->
                added
                    .getAddedEntry()
                    .getEventPublisher()
                    .onStateTransition(
                        t -> {
                          UUID id = UUID.fromString(t.getCircuitBreakerName());
                          if (t.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                            openUntil.put(id, clock.instant().plusSeconds(b.openSeconds()));
                          } else {
                            openUntil.remove(id);
                          }
                        }));
  }

  @Override
  public Future<?> start() {
    outbox = new OutboxRepository(pool);
    endpoints = new EndpointRepository(pool);
    guard = new SsrfGuard(vertx, config.allowList());
    http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgent("scoregate-webhooks/1")
                .setConnectTimeout((int) config.connectTimeoutMs())
                .setKeepAlive(true)
                .setVerifyHost(true),
            // Connections per host; the per-endpoint bound is kept by the dispatcher.
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(config.maxInFlightPerEndpoint()));
    WebhookConfig.MailConfig m = config.mail();
    if (m.enabled()) {
      io.vertx.ext.mail.MailConfig smtp =
          new io.vertx.ext.mail.MailConfig()
              .setHostname(m.host())
              .setPort(m.port())
              .setSsl(m.ssl())
              .setStarttls(StartTLSOptions.valueOf(m.startTls()));
      if (m.username() != null && !m.username().isBlank()) {
        smtp.setUsername(m.username()).setPassword(m.password()).setLogin(LoginOption.REQUIRED);
      } else {
        smtp.setLogin(LoginOption.DISABLED);
      }
      mail = MailClient.create(vertx, smtp);
    }
    metrics.gauge("scoregate.webhook.queue.depth", queueDepth);
    metrics.gauge(
        "scoregate.webhook.oldest.undelivered.seconds", oldestAgeMs, a -> a.get() / 1000.0);
    metrics.gauge("scoregate.webhook.in.flight", this, d -> d.inFlight);
    metrics.gauge(
        "scoregate.webhook.circuits.open",
        breakers,
        r ->
            r.getAllCircuitBreakers().stream()
                .filter(c -> c.getState() == CircuitBreaker.State.OPEN)
                .count());
    pollTimer = vertx.setPeriodic(config.pollMs(), t -> poll());
    metricsTimer = vertx.setPeriodic(config.metricsRefreshMs(), t -> refreshBacklog());
    digestTimer = vertx.setPeriodic(config.mail().digestCheckMs(), t -> sendDigests());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(metricsTimer);
    vertx.cancelTimer(digestTimer);
    // Deliveries in flight are cut: their leases end and another dispatcher sends them again.
    return Future.succeededFuture();
  }

  /** The state of an endpoint's circuit on this instance. */
  public String circuitState(UUID endpointId) {
    return breakers
        .find(endpointId.toString())
        .map(c -> c.getState().name())
        .orElse(CircuitBreaker.State.CLOSED.name());
  }

  /** One claim round: as many due messages as there is room for. */
  void poll() {
    if (stopping) {
      return;
    }
    if (claiming) {
      claimAgain = true;
      return;
    }
    int room = Math.min(config.claimBatch(), config.maxInFlight() - inFlight - waitingCount());
    if (room <= 0) {
      return;
    }
    Instant now = clock.instant();
    Set<UUID> excluded = new HashSet<>();
    inFlightPerEndpoint.forEach(
        (id, n) -> {
          if (n >= config.maxInFlightPerEndpoint()) {
            excluded.add(id);
          }
        });
    waiting.forEach((id, q) -> excluded.add(id));
    breakers
        .getAllCircuitBreakers()
        .forEach(
            c -> {
              UUID id = UUID.fromString(c.getName());
              boolean open =
                  c.getState() == CircuitBreaker.State.OPEN
                      && now.isBefore(openUntil.getOrDefault(id, Instant.MIN));
              // Half-open: one trial at a time, the others wait for its verdict.
              boolean trying =
                  c.getState() == CircuitBreaker.State.HALF_OPEN
                      && inFlightPerEndpoint.containsKey(id);
              if (open || trying) {
                excluded.add(id);
              }
            });
    claiming = true;
    outbox
        .claim(
            now,
            excluded,
            mail != null,
            config.maxInFlightPerEndpoint(),
            room,
            now.plusMillis(config.leaseMs()))
        .onComplete(
            ar -> {
              claiming = false;
              if (ar.failed()) {
                if (!stopping) { // a claim the stop cut short is taken up by another instance
                  LOG.warn("webhook claim failed: {}", ar.cause().getMessage());
                }
                return;
              }
              noteSaturation(ar.result(), excluded);
              ar.result().forEach(this::admit);
              if (claimAgain) {
                claimAgain = false;
                poll();
              }
            });
  }

  /**
   * Remembers which endpoints the claim cut at their quota. An endpoint it could have served and
   * gave fewer is drained of what is due; one it excluded keeps what was known of it.
   */
  private void noteSaturation(List<OutboxMessage> claimed, Set<UUID> excluded) {
    Map<UUID, Integer> counts = new HashMap<>();
    for (OutboxMessage m : claimed) {
      counts.merge(key(m), 1, Integer::sum);
    }
    saturated.removeIf(id -> !excluded.contains(id) && !counts.containsKey(id));
    counts.forEach(
        (id, n) -> {
          if (n >= config.maxInFlightPerEndpoint()) {
            saturated.add(id);
          } else {
            saturated.remove(id);
          }
        });
  }

  private static UUID key(OutboxMessage m) {
    return m.endpointId() == null ? MAIL_KEY : m.endpointId();
  }

  /** The endpoint's breaker; when it opens, its messages are not claimed until the wait ends. */
  private CircuitBreaker breaker(UUID endpointId) {
    return breakers.circuitBreaker(endpointId.toString());
  }

  private int waitingCount() {
    int n = 0;
    for (ArrayDeque<OutboxMessage> q : waiting.values()) {
      n += q.size();
    }
    return n;
  }

  /** Starts the message now if its endpoint has a free slot, else queues it behind the others. */
  private void admit(OutboxMessage m) {
    UUID key = key(m);
    int busy = inFlightPerEndpoint.getOrDefault(key, 0);
    if (busy >= config.maxInFlightPerEndpoint()) {
      waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).add(m);
      return;
    }
    inFlightPerEndpoint.merge(key, 1, Integer::sum);
    inFlight++;
    Future<Void> attempt = OutboxMessage.EMAIL.equals(m.channel()) ? sendMail(m) : sendWebhook(m);
    attempt.onComplete(
        ar -> {
          if (ar.failed() && !stopping) { // cut by the stop: its lease ends, another sends it
            LOG.warn("webhook message {} not settled: {}", m.id(), ar.cause().getMessage());
          }
          inFlight--;
          inFlightPerEndpoint.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
          ArrayDeque<OutboxMessage> queue = waiting.get(key);
          if (queue != null) {
            OutboxMessage next = queue.poll();
            if (queue.isEmpty()) {
              waiting.remove(key);
            }
            if (next != null && !stopping) {
              admit(next);
            }
          } else if (saturated.contains(key) && !stopping) {
            poll();
          }
        });
  }

  private static final UUID MAIL_KEY = new UUID(0, 0);

  private Future<Void> sendWebhook(OutboxMessage m) {
    return endpoints
        .byId(m.endpointId())
        .compose(
            endpoint -> {
              if (endpoint == null || !endpoint.enabled()) {
                return outbox.release(m, clock.instant().plusMillis(config.leaseMs()));
              }
              CircuitBreaker breaker = breaker(endpoint.id());
              if (!breaker.tryAcquirePermission()) {
                return outbox.release(
                    m, clock.instant().plusSeconds(config.breaker().openSeconds()));
              }
              return post(endpoint, m, breaker);
            });
  }

  /** One HTTP attempt, then its outcome recorded. */
  private Future<Void> post(Endpoint endpoint, OutboxMessage m, CircuitBreaker breaker) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    URI url = URI.create(endpoint.url());
    List<String> signing = new ArrayList<>(2);
    signing.add(secrets.decrypt(endpoint.secretEnc(), endpoint.id().toString()));
    if (endpoint.previousSecretEnc() != null
        && endpoint.previousSecretUntil() != null
        && started.isBefore(endpoint.previousSecretUntil())) {
      signing.add(secrets.decrypt(endpoint.previousSecretEnc(), endpoint.id().toString()));
    }
    long timestamp = started.getEpochSecond();
    String signature = Signatures.header(signing, m.id(), timestamp, m.payload());
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path =
        (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    Excerpt excerpt = new Excerpt(config.responseExcerptBytes());
    return guard
        .resolve(url.getHost())
        .compose(
            (InetAddress address) ->
                http.request(HttpMethod.POST, port, address.getHostAddress(), path)
                    .ssl(https)
                    .virtualHost(url.getHost())
                    .followRedirects(false)
                    .connectTimeout(config.connectTimeoutMs())
                    .timeout(config.timeoutMs())
                    .putHeader("content-type", "application/json")
                    .putHeader("webhook-id", m.id())
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", signature)
                    .as(BodyCodec.pipe(excerpt))
                    .sendBuffer(Buffer.buffer(m.payload())))
        .transform(
            ar -> {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
              Outcome outcome;
              if (ar.succeeded()) {
                outcome = outcomeOf(ar.result(), excerpt.text(), m, clock.instant());
              } else if (ar.cause() instanceof SsrfGuard.RefusedAddressException refused) {
                outcome = Outcome.failed("refused", refused.getMessage());
              } else {
                outcome = Outcome.failed("retry", describe(ar.cause()));
              }
              if ("delivered".equals(outcome.kind)) {
                breaker.onSuccess(ms, TimeUnit.MILLISECONDS);
              } else {
                breaker.onError(ms, TimeUnit.MILLISECONDS, new IllegalStateException(outcome.kind));
              }
              return record(endpoint, m, outcome, started, ms);
            });
  }

  /** What one attempt leads to. */
  private record Outcome(
      String kind, String status, Instant next, Integer code, String excerpt, String error) {
    static Outcome failed(String kind, String error) {
      return new Outcome(kind, null, null, null, null, error);
    }
  }

  private Outcome outcomeOf(
      HttpResponse<Void> response, String excerpt, OutboxMessage m, Instant now) {
    int code = response.statusCode();
    if (code >= 200 && code < 300) {
      return new Outcome("delivered", "delivered", null, code, excerpt, null);
    }
    if (code == 410) {
      return new Outcome("gone", "dead", null, code, excerpt, "410 Gone: endpoint disabled");
    }
    Duration retryAfter =
        code == 429 || code == 503
            ? RetrySchedule.retryAfter(response.getHeader("Retry-After"), now)
            : null;
    return new Outcome(
        "retry",
        null,
        retryAfter == null ? null : now.plus(retryAfter),
        code,
        excerpt,
        "HTTP " + code);
  }

  private static String describe(Throwable e) {
    String name = e.getClass().getSimpleName();
    String message = e.getMessage() == null ? "" : e.getMessage();
    String text = name + ": " + message;
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  /**
   * The attempt's consequences in one transaction: the attempt row, the message's state (only if
   * this claim still holds it), the endpoint's streak and, when due, its disablement.
   */
  private Future<Void> record(
      Endpoint endpoint, OutboxMessage m, Outcome o, Instant started, long ms) {
    Instant now = clock.instant();
    String status;
    Instant next = null;
    String outcomeName = o.kind;
    if ("delivered".equals(o.kind)) {
      status = "delivered";
    } else if ("gone".equals(o.kind) || "refused".equals(o.kind)) {
      status = "dead";
    } else {
      Instant at =
          schedule.next(
              m.attempts() + 1, now, o.next == null ? null : Duration.between(now, o.next));
      if (at == null) {
        status = "dead";
        outcomeName = "dead";
      } else {
        status = "pending";
        next = at;
      }
    }
    String finalStatus = status;
    Instant finalNext = next;
    String finalOutcome = outcomeName;
    metrics
        .counter("scoregate.webhook.deliveries", "channel", m.channel(), "outcome", finalOutcome)
        .increment();
    return pool.withTransaction(
        tx ->
            OutboxRepository.recordAttempt(
                    tx,
                    new OutboxRepository.Attempt(
                        m.id(),
                        m.endpointId(),
                        m.tenantId(),
                        started,
                        o.code,
                        ms,
                        finalOutcome,
                        o.excerpt,
                        o.error))
                .compose(v -> OutboxRepository.settle(tx, m, finalStatus, finalNext, now, o.error))
                .compose(
                    settled -> {
                      if (!settled || endpoint == null) {
                        return Future.<Void>succeededFuture();
                      }
                      if ("delivered".equals(finalStatus)) {
                        return endpoints.succeeded(tx, endpoint.id());
                      }
                      if ("gone".equals(o.kind)) {
                        return disable(tx, endpoint, "gone", now);
                      }
                      if ("refused".equals(o.kind)) {
                        return Future.<Void>succeededFuture();
                      }
                      return endpoints
                          .failed(tx, endpoint.id(), now)
                          .compose(
                              since ->
                                  Duration.between(since, now).toHours()
                                          >= config.disableAfterHours()
                                      ? disable(tx, endpoint, "failing", now)
                                      : Future.<Void>succeededFuture());
                    }));
  }

  private Future<Void> disable(SqlConnection tx, Endpoint endpoint, String reason, Instant now) {
    LOG.warn("webhook endpoint {} disabled: {}", endpoint.id(), reason);
    Future<Void> disabled = endpoints.disable(tx, endpoint.id(), reason, now);
    if (endpoint.ownerEmail() == null || endpoint.ownerEmail().isBlank()) {
      return disabled;
    }
    JsonObject notice = Mails.disabledNotice(endpoint, reason, now);
    return disabled.compose(
        v ->
            OutboxRepository.enqueueOne(
                    tx,
                    new OutboxMessage.New(
                        endpoint.tenantId(),
                        OutboxMessage.EMAIL,
                        null,
                        "endpoint.disabled",
                        notice.encode()),
                    now)
                .mapEmpty());
  }

  private Future<Void> sendMail(OutboxMessage m) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    JsonObject mailJson = new JsonObject(m.payload());
    MailMessage message =
        new MailMessage()
            .setFrom(config.mail().from())
            .setTo(mailJson.getJsonArray("to").getList())
            .setSubject(mailJson.getString("subject"))
            .setText(mailJson.getString("text"))
            .setHtml(mailJson.getString("html"));
    return mail.sendMail(message)
        .transform(
            ar -> {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
              Outcome o =
                  ar.succeeded()
                      ? new Outcome("delivered", "delivered", null, null, null, null)
                      : Outcome.failed("retry", describe(ar.cause()));
              return record(null, m, o, started, ms);
            });
  }

  /** Hourly and daily digests whose period ended become mails in the outbox. */
  void sendDigests() {
    DigestRepository.sendDue(pool, clock.instant())
        .onFailure(e -> LOG.warn("e-mail digests not sent: {}", e.getMessage()));
  }

  private void refreshBacklog() {
    outbox
        .backlog(clock.instant())
        .onSuccess(
            b -> {
              queueDepth.set(b[0]);
              oldestAgeMs.set(b[1]);
            })
        .onFailure(e -> LOG.warn("webhook backlog not read: {}", e.getMessage()));
  }
}
