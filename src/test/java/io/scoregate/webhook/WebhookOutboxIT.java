package io.scoregate.webhook;

import static io.scoregate.webhook.WebhookTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoregate.app.AppConfig;
import io.scoregate.batch.BatchSummary;
import io.scoregate.monitoring.Alert;
import io.scoregate.monitoring.ScoreChange;
import io.scoregate.monitoring.ScoreSnapshot;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox as the monitoring and batch units call it, inside their transactions: alert.created,
 * score.changed for watched companies, batch.completed, nothing written when the cause rolls back,
 * and e-mail digests (immediately, hourly) received by a real SMTP server (GreenMail).
 */
class WebhookOutboxIT {

  private static final ManualClock CLOCK =
      new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private static Vertx vertx;
  private static Pool pool;
  private static GreenMail smtp;
  private static WebhookTestSupport.Receiver receiver;
  private static AppConfig config;
  private static WebhookDispatcherVerticle dispatcher;
  private static WebhookOutbox outbox;
  private static String tenant;
  private static long companyId;
  private static String siren;
  private static UUID portfolio;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    config =
        WebhookTestSupport.config(
            Map.of(
                "SCOREGATE_WEBHOOK_ALLOW_HTTP", "true",
                "SCOREGATE_WEBHOOK_POLL_MS", "25",
                "SCOREGATE_WEBHOOK_MAIL_ENABLED", "true",
                "SCOREGATE_WEBHOOK_MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "SCOREGATE_WEBHOOK_MAIL_START_TLS", "DISABLED",
                "SCOREGATE_WEBHOOK_MAIL_DIGEST_CHECK_MS", "100"));
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
    receiver = new WebhookTestSupport.Receiver(vertx);
    dispatcher =
        new WebhookDispatcherVerticle(config.webhook(), pool, CLOCK, new SimpleMeterRegistry());
    await(vertx.deployVerticle(dispatcher));
    outbox = new WebhookOutbox(CLOCK);
    tenant = WebhookTestSupport.tenant(config);
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Fonderie Dupré");
    companyId =
        TestPostgres.count(
            "SELECT id FROM companies WHERE country = 'FR' AND national_id = '" + siren + "'");
    portfolio = UUID.randomUUID();
    TestPostgres.execute(
        "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at) VALUES ('"
            + portfolio
            + "', '"
            + tenant
            + "', 'Clients', now(), now())",
        "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure, added_at,"
            + " updated_at) VALUES ('"
            + portfolio
            + "', "
            + companyId
            + ", 'C-042', 250000, now(), now())");
  }

  @AfterAll
  static void stop() {
    receiver.close();
    WebhookTestSupport.stop(vertx);
    smtp.stop();
  }

  private static Alert alert(String rule) {
    return new Alert(
        UUID.randomUUID(),
        tenant,
        portfolio,
        rule,
        1L,
        companyId,
        "FR",
        siren,
        "Fonderie Dupré",
        "C-042",
        new BigDecimal("250000.00"),
        71,
        38,
        "low",
        "high",
        "event",
        12L,
        "payment_incident",
        new JsonObject(),
        "open",
        CLOCK.instant());
  }

  private static WebhookTestSupport.Registered endpoint(String path, List<String> types) {
    WebhookTestSupport.Registered r =
        WebhookTestSupport.endpoint(
            pool, config.webhook(), tenant, receiver.url(path), CLOCK.instant());
    TestPostgres.execute(
        "UPDATE webhook_endpoints SET event_types = '{"
            + String.join(",", types)
            + "}' WHERE id = '"
            + r.endpoint().id()
            + "'");
    return r;
  }

  @Test
  void anAlertReachesItsEndpointsSignedWithCompanyMemberBeforeAndAfter() throws Exception {
    String path = "/alerts/" + UUID.randomUUID();
    WebhookTestSupport.Registered r = endpoint(path, List.of("alert.created"));
    String ignored = "/other/" + UUID.randomUUID();
    endpoint(ignored, List.of("batch.completed"));
    Alert a = alert("score_below");
    await(pool.withTransaction(tx -> outbox.onAlerts(tx, List.of(a))));
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count(path) == 1);
    WebhookTestSupport.Received got = receiver.at(path).get(0);
    // Signed as the library signs (the digest test moves this class's clock away from real time,
    // which the library's own verify would refuse).
    assertThat(got.header("webhook-signature"))
        .isEqualTo(
            new Webhook(r.secret())
                .sign(
                    got.header("webhook-id"),
                    Long.parseLong(got.header("webhook-timestamp")),
                    got.body()));
    JsonObject body = new JsonObject(got.body());
    assertThat(body.getString("type")).isEqualTo("alert.created");
    JsonObject data = body.getJsonObject("data");
    assertThat(data.getJsonObject("alert").getString("id")).isEqualTo(a.id().toString());
    assertThat(data.getJsonObject("company").getString("id")).isEqualTo(siren);
    assertThat(data.getJsonObject("member").getString("reference")).isEqualTo("C-042");
    assertThat(data.getJsonObject("member").getString("exposure")).isEqualTo("250000.00");
    assertThat(data.getJsonObject("before").getInteger("score")).isEqualTo(71);
    assertThat(data.getJsonObject("after").getString("risk_level")).isEqualTo("high");
    assertThat(receiver.count(ignored)).isZero();
  }

  @Test
  void nothingIsWrittenWhenTheAlertsTransactionRollsBack() {
    String path = "/rollback/" + UUID.randomUUID();
    WebhookTestSupport.Registered r = endpoint(path, List.of("alert.created"));
    Future<Void> failed =
        pool.withTransaction(
            tx ->
                outbox
                    .onAlerts(tx, List.of(alert("score_drop")))
                    .compose(
                        v ->
                            Future.<Void>failedFuture(
                                new IllegalStateException("alert insert failed"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> failed.isComplete());
    assertThat(failed.failed()).isTrue();
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM webhook_messages WHERE endpoint_id = '"
                    + r.endpoint().id()
                    + "'"))
        .isZero();
  }

  @Test
  void aScoreChangeOfAWatchedCompanyAndABatchCompletionAreDelivered() {
    String path = "/changes/" + UUID.randomUUID();
    endpoint(path, List.of("score.changed", "batch.completed"));
    ScoreChange change =
        new ScoreChange(
            companyId,
            "FR",
            siren,
            new ScoreSnapshot(71, 0.01, "BBB", "low", "m1"),
            new ScoreSnapshot(55, 0.04, "BB", "medium", "m1"),
            ScoreChange.EVENT,
            12L,
            "payment_incident",
            CLOCK.instant());
    await(pool.withTransaction(tx -> outbox.onChanges(tx, List.of(change))));
    // A company no portfolio holds is not watched: nothing for it.
    await(
        pool.withTransaction(
            tx ->
                outbox.onChanges(
                    tx,
                    List.of(
                        new ScoreChange(
                            -1,
                            "FR",
                            "000000000",
                            null,
                            change.after(),
                            ScoreChange.INITIAL,
                            null,
                            null,
                            CLOCK.instant())))));
    BatchSummary batch =
        new BatchSummary(
            UUID.randomUUID(),
            tenant,
            "score",
            "completed",
            10,
            9,
            1,
            CLOCK.instant(),
            CLOCK.instant(),
            CLOCK.instant(),
            "/api/v1/batches/x/results");
    await(pool.withTransaction(tx -> outbox.onCompleted(tx, batch)));
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.count(path) == 2);
    List<JsonObject> bodies =
        receiver.at(path).stream().map(x -> new JsonObject(x.body())).toList();
    JsonObject changed =
        bodies.stream()
            .filter(b -> b.getString("type").equals("score.changed"))
            .findFirst()
            .orElseThrow();
    assertThat(
            changed
                .getJsonObject("data")
                .getJsonArray("members")
                .getJsonObject(0)
                .getString("reference"))
        .isEqualTo("C-042");
    assertThat(changed.getJsonObject("data").getJsonObject("after").getInteger("score"))
        .isEqualTo(55);
    JsonObject done =
        bodies.stream()
            .filter(b -> b.getString("type").equals("batch.completed"))
            .findFirst()
            .orElseThrow();
    assertThat(done.getJsonObject("data").getInteger("failed")).isEqualTo(1);
  }

  @Test
  void digestsAreMailedImmediatelyOrAtTheEndOfTheirPeriodInTheirLanguage() throws Exception {
    WebhookService service =
        new WebhookService(vertx, config.webhook(), pool, CLOCK, dispatcher::circuitState);
    await(
        service.createDigest(
            tenant,
            new JsonObject()
                .put("portfolio_id", portfolio.toString())
                .put("recipients", new io.vertx.core.json.JsonArray().add("credit@example.fr"))
                .put("period", "immediately")
                .put("language", "fr")));
    await(
        service.createDigest(
            tenant,
            new JsonObject()
                .put("portfolio_id", portfolio.toString())
                .put("recipients", new io.vertx.core.json.JsonArray().add("risk@example.com"))
                .put("period", "hourly")
                .put("language", "en")));
    await(
        pool.withTransaction(
            tx -> outbox.onAlerts(tx, List.of(alert("payment_incident"), alert("score_below")))));
    assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
    MimeMessage fr = smtp.getReceivedMessages()[0];
    assertThat(fr.getAllRecipients()[0].toString()).isEqualTo("credit@example.fr");
    assertThat(fr.getSubject()).contains("2 nouvelle(s) alerte(s)");
    String whole = GreenMailUtil.getWholeMessage(fr);
    assertThat(fr.getContent()).isInstanceOf(MimeMultipart.class);
    assertThat(whole).contains("text/plain").contains("text/html");
    assertThat(GreenMailUtil.getBody(fr)).contains("incident de paiement").contains("C-042");

    // The hourly one waits for the end of its hour, its alerts kept.
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM webhook_messages WHERE channel = 'email' AND payload LIKE '%risk@example.com%'"))
        .isZero();
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM email_digest_items i JOIN email_digests d ON d.id = i.digest_id WHERE d.tenant_id = '"
                    + tenant
                    + "'"))
        .isEqualTo(2);
    CLOCK.advance(Duration.ofHours(1));
    assertThat(smtp.waitForIncomingEmail(15_000, 2)).isTrue();
    MimeMessage en = smtp.getReceivedMessages()[1];
    assertThat(en.getAllRecipients()[0].toString()).isEqualTo("risk@example.com");
    assertThat(en.getSubject()).isEqualTo("scoregate: 2 new alert(s) in your portfolio");
    assertThat(GreenMailUtil.getBody(en)).contains("payment incident").contains("Fonderie");
  }
}
