package io.scoregate.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduled re-scoring: a round covers every watched company once, instances share it through
 * Postgres, a round left by a stopped instance is finished by another, and a new champion model
 * re-scores with its own cause.
 */
class RescoreRoundsIT {

  private static final Map<String, String> ROUNDS =
      Map.of(
          "SCOREGATE_MONITORING_ROUNDS_CHUNK_SIZE", "2",
          "SCOREGATE_MONITORING_ROUNDS_LEASE_SECONDS", "600");

  @BeforeAll
  static void schema() {
    TestPostgres.ensureSchema();
  }

  /** A day of its own for each run (before 2262: the clock counts nanoseconds in a long). */
  private static Instant freshPeriod() {
    long day = ThreadLocalRandom.current().nextLong(1, 80_000);
    return Instant.parse("2030-01-01T00:00:00Z").plus(Duration.ofDays(day));
  }

  /** Watched companies in a new portfolio of the tenant; their ids. */
  private static List<String> watched(String tenant, int n) {
    String portfolio = UUID.randomUUID().toString();
    TestPostgres.execute(
        "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at) VALUES ('"
            + portfolio
            + "', '"
            + tenant
            + "', 'Rounds', now(), now())");
    List<String> sirens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String siren = TestCompanies.newSiren();
      TestCompanies.insert(siren, "Watched " + i, 0.3 + 0.1 * i);
      TestPostgres.execute(
          "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure, added_at,"
              + " updated_at) SELECT '"
              + portfolio
              + "', id, 'ref-"
              + i
              + "', 10000, now(), now() FROM companies WHERE national_id = '"
              + siren
              + "'");
      sirens.add(siren);
    }
    return sirens;
  }

  private static long roundAt(Instant periodStart) {
    return TestPostgres.count(
        "SELECT id FROM rescore_rounds WHERE cause = 'scheduled' AND period_start = '"
            + periodStart
            + "'");
  }

  private static long historyRows(List<String> sirens, String cause) {
    return TestPostgres.count(
        "SELECT count(*) FROM score_history h JOIN companies c ON c.id = h.company_id"
            + " WHERE h.cause = '"
            + cause
            + "' AND c.national_id IN ('"
            + String.join("','", sirens)
            + "')");
  }

  private static int await(io.vertx.core.Future<Integer> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  void aRoundLeftByAStoppedInstanceIsFinishedByAnotherOnceEach() throws Exception {
    Instant start = freshPeriod();
    ManualClock clock = new ManualClock(start);
    List<String> sirens;
    long round;
    try (TestGateway first = TestGateway.start(clock, ROUNDS)) {
      sirens = watched(first.tenantId(), 5);
      // At the period's start only the first chunk is due.
      await(first.gateway().rounds().tick());
      round = roundAt(start);
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM rescore_chunks WHERE round_id = "
                      + round
                      + " AND done_at IS NOT NULL"))
          .isEqualTo(1);
      // An instance that claimed the rest and stopped before finishing.
      TestPostgres.execute(
          "UPDATE rescore_chunks SET claimed_by = 'stopped', lease_until = '"
              + start.plus(Duration.ofHours(1))
              + "' WHERE round_id = "
              + round
              + " AND done_at IS NULL");
    }
    clock.advance(Duration.ofMinutes(30));
    try (TestGateway second = TestGateway.start(clock, ROUNDS)) {
      await(second.gateway().rounds().tick());
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM rescore_chunks WHERE round_id = "
                      + round
                      + " AND done_at IS NULL"))
          .as("chunks still leased to the stopped instance wait for their lease")
          .isPositive();

      clock.advance(Duration.ofHours(23));
      await(second.gateway().rounds().tick());

      assertThat(
              TestPostgres.string(
                  "SELECT (completed_at IS NOT NULL)::text FROM rescore_rounds WHERE id = "
                      + round))
          .isEqualTo("true");
      assertThat(
              TestPostgres.count(
                  "SELECT coalesce(sum(rescored), 0) FROM rescore_chunks WHERE round_id = "
                      + round))
          .isEqualTo(
              TestPostgres.count("SELECT companies FROM rescore_rounds WHERE id = " + round));
      assertThat(
              TestPostgres.count(
                  "SELECT count(*) FROM rescore_chunks WHERE round_id = "
                      + round
                      + " AND claimed_by = 'stopped'"))
          .isZero();
      // Never scored before: each watched company got its first score, once.
      assertThat(historyRows(sirens, "initial")).isEqualTo(sirens.size());
    }
  }

  @Test
  void twoInstancesShareARoundWithoutTakingAChunkTwice() throws Exception {
    Instant start = freshPeriod();
    ManualClock clock = new ManualClock(start.plus(Duration.ofHours(23)));
    try (TestGateway a = TestGateway.start(clock, ROUNDS);
        TestGateway b = TestGateway.start(clock, ROUNDS)) {
      List<String> sirens = watched(a.tenantId(), 6);

      io.vertx.core.Future<Integer> byA = a.gateway().rounds().tick();
      io.vertx.core.Future<Integer> byB = b.gateway().rounds().tick();
      int total = await(byA) + await(byB);

      long round = roundAt(start);
      long companies =
          TestPostgres.count("SELECT companies FROM rescore_rounds WHERE id = " + round);
      assertThat(
              TestPostgres.count(
                  "SELECT coalesce(sum(rescored), 0) FROM rescore_chunks WHERE round_id = "
                      + round))
          .isEqualTo(companies);
      assertThat(total).isGreaterThanOrEqualTo((int) companies);
      assertThat(historyRows(sirens, "initial")).isEqualTo(sirens.size());
    }
  }

  @Test
  void aNewChampionReScoresWatchedCompaniesWithItsOwnCause() throws Exception {
    ManualClock clock = new ManualClock(freshPeriod());
    try (TestGateway gateway = TestGateway.start(clock, ROUNDS)) {
      List<String> sirens = watched(gateway.tenantId(), 3);
      // Their current scores came from another model.
      TestPostgres.execute(
          "INSERT INTO company_scores (company_id, score, pd, risk_level, model_version, reasons,"
              + " computed_at) SELECT id, 50, 0.05, 'medium', 'retired-model', '[]', now() - interval"
              + " '1 day' FROM companies WHERE national_id IN ('"
              + String.join("','", sirens)
              + "')");

      await(gateway.gateway().rounds().modelChanged("champion-" + System.nanoTime()));
      await(gateway.gateway().rounds().tick());

      assertThat(historyRows(sirens, "model_change")).isEqualTo(sirens.size());
    }
  }
}
