package io.scoregate.webhook;

import static io.scoregate.webhook.WebhookTestSupport.await;
import static io.scoregate.webhook.WebhookTestSupport.endpoint;
import static io.scoregate.webhook.WebhookTestSupport.enqueue;
import static io.scoregate.webhook.WebhookTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoregate.app.AppConfig;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox and its dispatchers on their own, against real Postgres and a real HTTP receiver:
 * messages are enqueued directly, each test moves its own clock through the retry schedule.
 */
class WebhookDispatcherIT {

  private static Vertx vertx;
  private static Pool pool;
  private static WebhookTestSupport.Receiver receiver;
  private static AppConfig config;
  private static String tenant;
  private ManualClock clock;
  private final List<Vertx> dispatchers = new ArrayList<>();

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
    receiver = new WebhookTestSupport.Receiver(vertx);
    config =
        WebhookTestSupport.config(
            Map.of(
                "SCOREGATE_WEBHOOK_ALLOW_HTTP", "true",
                "SCOREGATE_WEBHOOK_POLL_MS", "25",
                "SCOREGATE_WEBHOOK_TIMEOUT_MS", "1000",
                "SCOREGATE_WEBHOOK_CONNECT_TIMEOUT_MS", "1000",
                "SCOREGATE_WEBHOOK_LEASE_MS", "5000"));
    tenant = WebhookTestSupport.tenant(config);
  }

  @AfterAll
  static void stop() {
    receiver.close();
    await(vertx.close());
  }

  @BeforeEach
  void clock() {
    // Near the real time: the official library refuses timestamps more than 5 minutes off.
    clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @AfterEach
  void stopDispatchers() {
    // undeployed first, as a gateway stops: a claim cut short is then a stop, not a failure
    dispatchers.forEach(WebhookTestSupport::stop);
    // Every test's messages go with its tenant's endpoints: later dispatchers never see them.
    TestPostgres.execute("DELETE FROM webhook_endpoints WHERE tenant_id = '" + tenant + "'");
  }

  /** A dispatcher in a Vert.x instance of its own, as on another gateway. */
  private WebhookDispatcherVerticle dispatcher(WebhookConfig webhook) {
    Vertx own = Vertx.vertx();
    dispatchers.add(own);
    WebhookDispatcherVerticle d =
        new WebhookDispatcherVerticle(
            webhook, TestPostgres.pool(own), clock, new SimpleMeterRegistry());
    await(own.deployVerticle(d));
    return d;
  }

  private WebhookDispatcherVerticle dispatcher() {
    return dispatcher(config.webhook());
  }

  private static String path(String name) {
    return "/" + name + "/" + UUID.randomUUID();
  }

  @Test
  void aBackloggedEndpointIsDrainedWithoutWaitingForTheNextPoll() {
    // One delivery in flight per endpoint and a poll every 3 s: claiming only on the poll would
    // deliver one message per poll, 12 polls for 12 messages.
    WebhookConfig slowPoll =
        WebhookTestSupport.config(
                Map.of(
                    "SCOREGATE_WEBHOOK_ALLOW_HTTP", "true",
                    "SCOREGATE_WEBHOOK_POLL_MS", "3000",
                    "SCOREGATE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", "1"))
            .webhook();
    String path = path("backlog");
    WebhookTestSupport.Registered r =
        endpoint(pool, slowPoll, tenant, receiver.url(path), clock.instant());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(enqueue(pool, r.endpoint(), clock.instant(), "m" + i));
    }
    long started = System.nanoTime();
    dispatcher(slowPoll);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> "delivered".equals(status(id))));
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("all delivered after the first poll, before the second")
        .isLessThan(Duration.ofMillis(6000));
    assertThat(receiver.count(path)).isEqualTo(12);
  }

  @Test
  void everyDeliveryVerifiesWithTheOfficialStandardWebhooksLibrary() throws Exception {
    dispatcher();
    String path = path("ok");
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    String id = enqueue(pool, r.endpoint(), clock.instant(), "hello");

    await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(status(id)));
    WebhookTestSupport.Received got = receiver.at(path).get(0);
    new Webhook(r.secret()).verify(got.body(), got.headers());
    assertThat(got.header("webhook-id")).isEqualTo(id);
    assertThat(got.header("webhook-timestamp"))
        .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
    assertThat(got.header("webhook-signature")).startsWith("v1,").doesNotContain(" ");
    assertThat(got.header("content-type")).isEqualTo("application/json");
    JsonObject body = new JsonObject(got.body());
    assertThat(body.getString("type")).isEqualTo("ping");
    assertThat(body.getString("timestamp")).isEqualTo(clock.instant().toString());
    assertThat(body.getJsonObject("data").getString("text")).isEqualTo("hello");
    // A tampered body or another secret does not verify: the check above can fail.
    assertThatThrownBy(() -> new Webhook(r.secret()).verify(got.body() + " ", got.headers()))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    assertThatThrownBy(
            () ->
                new Webhook(new SecretBox(config.webhook().secretKey()).newSecret())
                    .verify(got.body(), got.headers()))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    assertThat(
            TestPostgres.string(
                "SELECT status_code || ' ' || outcome || ' ' || response_excerpt FROM webhook_attempts WHERE message_id = '"
                    + id
                    + "'"))
        .isEqualTo("204 delivered ");
  }

  @Test
  void duringARotationBothSecretsSignAndEachVerifies() throws Exception {
    dispatcher();
    String path = path("ok");
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    String fresh = new SecretBox(config.webhook().secretKey()).newSecret();
    await(
        new EndpointRepository(pool)
            .rotate(
                tenant,
                r.endpoint().id(),
                new SecretBox(config.webhook().secretKey())
                    .encrypt(fresh, r.endpoint().id().toString()),
                clock.instant().plus(Duration.ofHours(24)),
                clock.instant()));
    String id = enqueue(pool, r.endpoint(), clock.instant(), "rotating");
    await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(status(id)));
    WebhookTestSupport.Received got = receiver.at(path).get(0);
    assertThat(got.header("webhook-signature").split(" "))
        .hasSize(2)
        .allMatch(s -> s.startsWith("v1,"));
    new Webhook(fresh).verify(got.body(), got.headers());
    new Webhook(r.secret()).verify(got.body(), got.headers());

    // After the overlap only the new secret signs.
    clock.advance(Duration.ofHours(25));
    String later = enqueue(pool, r.endpoint(), clock.instant(), "rotated");
    await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(status(later)));
    WebhookTestSupport.Received last = receiver.at(path).get(1);
    assertThat(last.header("webhook-signature").split(" ")).hasSize(1);
    // Its timestamp is a day ahead of real time: check the signature by hand, not the library.
    Map<String, List<String>> headers = new HashMap<>(last.headers());
    long ts = Long.parseLong(last.header("webhook-timestamp"));
    assertThat(last.header("webhook-signature"))
        .isEqualTo(new Webhook(fresh).sign(last.header("webhook-id"), ts, last.body()))
        .isNotEqualTo(new Webhook(r.secret()).sign(last.header("webhook-id"), ts, last.body()));
    assertThat(headers).containsKey("webhook-id");
  }

  @Test
  void aFailingEndpointIsRetriedOnTheScheduleUntilTheMessageIsDead() {
    dispatcher();
    String path = path("fail");
    receiver.answer(path, 500);
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    String id = enqueue(pool, r.endpoint(), clock.instant(), "doomed");
    List<Long> schedule = config.webhook().retryScheduleSeconds();
    for (int attempt = 1; attempt <= schedule.size(); attempt++) {
      long n = attempt;
      await().atMost(Duration.ofSeconds(10)).until(() -> WebhookTestSupport.attempts(id) == n);
      Instant now = clock.instant();
      Instant next =
          Instant.parse(
              TestPostgres.string(
                  "SELECT to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                      + " FROM webhook_messages WHERE id = '"
                      + id
                      + "'"));
      long delay = schedule.get(attempt - 1) * 1000;
      assertThat(Duration.between(now, next).toMillis())
          .as("delay after attempt %d", attempt)
          .isBetween((long) (delay * 0.8) - 1000, (long) (delay * 1.2) + 1000);
      assertThat(status(id)).isEqualTo("pending");
      // Nothing happens before the delay is over...
      clock.advance(Duration.ofMillis((long) (delay * 0.75)));
      assertThat(WebhookTestSupport.attempts(id)).isEqualTo(n);
      // ...and the next attempt comes once it is.
      clock.advance(Duration.between(clock.instant(), next).plusSeconds(1));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(status(id)));
    assertThat(WebhookTestSupport.attempts(id)).isEqualTo(schedule.size() + 1);
    assertThat(receiver.count(path)).isEqualTo(schedule.size() + 1);
    // Each attempt carried the same webhook-id and a fresh timestamp.
    assertThat(receiver.at(path)).allMatch(x -> x.header("webhook-id").equals(id));
    assertThat(receiver.at(path).stream().map(x -> x.header("webhook-timestamp")).distinct())
        .hasSize(schedule.size() + 1);
  }

  @Test
  void retryAfterOn429And503IsHonoured() {
    dispatcher();
    for (int code : new int[] {429, 503}) {
      String path = path("busy");
      receiver.answer(path, code);
      receiver.headers.put(path, Map.of("Retry-After", "120"));
      WebhookTestSupport.Registered r =
          endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
      String id = enqueue(pool, r.endpoint(), clock.instant(), "later");
      await().atMost(Duration.ofSeconds(10)).until(() -> WebhookTestSupport.attempts(id) == 1);
      assertThat(
              TestPostgres.count(
                  "SELECT extract(epoch FROM next_attempt_at)::bigint FROM webhook_messages WHERE id = '"
                      + id
                      + "'"))
          .isEqualTo(clock.instant().getEpochSecond() + 120);
    }
  }

  @Test
  void a410DisablesTheEndpointAndDeadLettersItsMessages() {
    String path = path("gone");
    receiver.answer(path, 410);
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    String first = enqueue(pool, r.endpoint(), clock.instant(), "one");
    String second = enqueue(pool, r.endpoint(), clock.instant().plusSeconds(1), "two");
    TestPostgres.execute(
        "UPDATE webhook_messages SET next_attempt_at = next_attempt_at + interval '1 hour' WHERE id = '"
            + second
            + "'");
    dispatcher();
    await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(status(first)));
    assertThat(status(second)).isEqualTo("dead");
    assertThat(
            TestPostgres.string(
                "SELECT enabled || ' ' || disabled_reason FROM webhook_endpoints WHERE id = '"
                    + r.endpoint().id()
                    + "'"))
        .isEqualTo("false gone");
    // The owner is told by mail, through the outbox.
    assertThat(
            TestPostgres.string(
                "SELECT payload FROM webhook_messages WHERE channel = 'email' AND tenant_id = '"
                    + tenant
                    + "' AND payload LIKE '%"
                    + r.endpoint().id()
                    + "%'"))
        .contains("owner@example.com")
        .contains("410");
    assertThat(receiver.count(path)).isEqualTo(1);
  }

  @Test
  void anEndpointFailingForFiveDaysIsDisabledAndItsOwnerMailed() {
    dispatcher();
    String path = path("fail");
    receiver.answer(path, 500);
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    TestPostgres.execute(
        "UPDATE webhook_endpoints SET failing_since = '"
            + clock.instant().minus(Duration.ofHours(119))
            + "' WHERE id = '"
            + r.endpoint().id()
            + "'");
    String id = enqueue(pool, r.endpoint(), clock.instant(), "x");
    await().atMost(Duration.ofSeconds(10)).until(() -> WebhookTestSupport.attempts(id) == 1);
    assertThat(status(id)).isEqualTo("pending");
    clock.advance(Duration.ofHours(1).plusSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(status(id)));
    assertThat(
            TestPostgres.string(
                "SELECT enabled || ' ' || disabled_reason FROM webhook_endpoints WHERE id = '"
                    + r.endpoint().id()
                    + "'"))
        .isEqualTo("false failing");
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM webhook_messages WHERE channel = 'email' AND payload LIKE '%"
                    + r.endpoint().id()
                    + "%5 days%'"))
        .isEqualTo(1);
  }

  @Test
  void aTimeoutIsAFailedAttemptRetriedLater() {
    dispatcher();
    String path = path("hang");
    receiver.answer(path, 0);
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    String id = enqueue(pool, r.endpoint(), clock.instant(), "slow");
    await().atMost(Duration.ofSeconds(10)).until(() -> WebhookTestSupport.attempts(id) == 1);
    assertThat(status(id)).isEqualTo("pending");
    assertThat(
            TestPostgres.string(
                "SELECT coalesce(status_code::text, 'none') || ' ' || outcome || ' ' || error FROM webhook_attempts WHERE message_id = '"
                    + id
                    + "'"))
        .startsWith("none retry ")
        .containsIgnoringCase("timeout");
  }

  @Test
  void twoDispatchersNeverSendTheSameMessageTwiceWhileBothAreUp() {
    dispatcher();
    dispatcher();
    String path = path("ok");
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ids.add(enqueue(pool, r.endpoint(), clock.instant(), "n" + i));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                TestPostgres.count(
                        "SELECT count(*) FROM webhook_messages WHERE endpoint_id = '"
                            + r.endpoint().id()
                            + "' AND status = 'delivered'")
                    == 300);
    List<String> got = receiver.at(path).stream().map(x -> x.header("webhook-id")).toList();
    assertThat(got).hasSize(300).doesNotHaveDuplicates();
    assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(ids));
  }

  @Test
  void aDispatcherStoppedAbruptlyMidDeliveryLosesNothing() {
    String path = path("hang");
    receiver.answer(path, 0);
    WebhookTestSupport.Registered r =
        endpoint(pool, config.webhook(), tenant, receiver.url(path), clock.instant());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      ids.add(enqueue(pool, r.endpoint(), clock.instant(), "n" + i));
    }
    Vertx doomed = Vertx.vertx();
    await(
        doomed.deployVerticle(
            new WebhookDispatcherVerticle(
                // A lease far longer than the others': what it claimed stays its own until then.
                new WebhookConfig(
                    true,
                    config.webhook().secretKey(),
                    true,
                    "127.0.0.1/32",
                    60_000,
                    1000,
                    25,
                    50,
                    200_000,
                    64,
                    8,
                    config.webhook().retryScheduleSeconds(),
                    0.2,
                    86400,
                    120,
                    24,
                    1024,
                    5000,
                    2,
                    config.webhook().breaker(),
                    config.webhook().mail()),
                TestPostgres.pool(doomed),
                clock,
                new SimpleMeterRegistry())));
    // Every message is on the wire, none answered: the instance dies now.
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count(path) == 8);
    await(doomed.close());

    receiver.answer(path, 200);
    dispatcher();
    // While its lease lasts nobody else sends a message; after it, another dispatcher does.
    clock.advance(Duration.ofSeconds(100));
    assertThat(receiver.count(path)).isEqualTo(8);
    clock.advance(Duration.ofSeconds(101));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ids.stream().allMatch(id -> "delivered".equals(status(id))));
    // At least once: the same webhook-ids again, a duplicate each for what was cut.
    assertThat(receiver.at(path).stream().map(x -> x.header("webhook-id")).distinct())
        .containsExactlyInAnyOrderElementsOf(ids);
  }
}
