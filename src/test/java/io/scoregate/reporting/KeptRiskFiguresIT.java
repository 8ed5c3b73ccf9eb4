package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The regulatory totals summed in SQL from the figures kept on the member rows (V18) are those the
 * per-member path gives, whatever the state of the kept figures: none yet, all current, some made
 * stale by a new score or exposure, or kept under another configuration.
 *
 * <pre>
 * member  sector  exposure     pd     term  origination  stage (why)                 path
 * A       C       100000.00    0.010  60    0.01         1                           kept
 * B       F       250000.50    0.050  30    0.01         2 (PD x5, +4 pt)            kept
 * C       G         5000.25    0.002  400   0.0005       1 (x4, +0.15 pt), term > 1 year  kept
 * D       C      1200000.00    0.200  -     0.10         3 (open proceeding)         kept
 * E       C        30000.00    0.030  60    0.03         3 (ceased)                  kept
 * F       G        80000.00    0.080  60    0.08         2 (45 days past due)        per member
 * G       C        64000.00    0.004  90    0.004        1, SME: sales 12 million    kept
 * H       -         7000.00    -      60    -            unscored                    -
 * </pre>
 */
class KeptRiskFiguresIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-20T09:00:00Z"));
  private static final List<String> LEVELS = List.of("low", "medium", "high", "very_high");
  private static Vertx vertx;
  private static Pool pool;
  private static UUID portfolio;
  private static String a;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
    String tenant = "kept-" + System.nanoTime();
    TestPostgres.execute(
        "INSERT INTO tenants (id, name, rate_per_second, burst, monthly_quota) VALUES ('"
            + tenant
            + "', 'Kept figures', 10, 10, 1000)");
    portfolio = TestPortfolios.create(tenant, "Kept");
    a = member("A", "25.62A", "100000.00", 0.010, "G5", 60, 0.01);
    member("B", "41.20A", "250000.50", 0.050, "G7", 30, 0.01);
    member("C", "47.11F", "5000.25", 0.002, "G2", 400, 0.0005);
    String d = member("D", "25.11Z", "1200000.00", 0.200, "G9", null, 0.10);
    TestCompanies.insertProceeding(d, "redressement_judiciaire", "2026-09-15");
    String e = member("E", "25.62A", "30000.00", 0.030, "G7", 60, 0.03);
    TestPostgres.execute("UPDATE companies SET status = 'ceased' WHERE id = " + id(e));
    String f = member("F", "47.11F", "80000.00", 0.080, "G8", 60, 0.08);
    TestCompanies.insertIncident(f, "2026-10-01", 12_000, 45);
    String g = member("G", "25.62A", "64000.00", 0.004, "G3", 90, 0.004);
    TestPostgres.execute(
        "INSERT INTO financial_statements (company_id, fiscal_year, sales) VALUES ("
            + id(g)
            + ", 2025, 12000000)");
    member("H", null, "7000.00", null, null, 60, null);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String member(
      String ref,
      String sector,
      String exposure,
      Double pd,
      String grade,
      Integer term,
      Double originationPd) {
    return TestPortfolios.member(
        portfolio,
        ref,
        sector,
        "Bretagne",
        exposure,
        pd,
        50,
        grade,
        pd == null ? null : "medium",
        term,
        originationPd);
  }

  private static String id(String siren) {
    return TestPortfolios.companyId(siren);
  }

  private static ReportingConfig config(double lgdDefault) {
    return new ReportingConfig(
        lgdDefault,
        Map.of("F", 0.55),
        new ReportingConfig.Ifrs9Config(2.0, 0.005, 30, 90, 365, 60),
        new ReportingConfig.BaselConfig(0.0005, 0.45, 2.5),
        List.of(),
        600_000,
        10,
        2,
        60_000,
        // Small pages, so that a refresh takes several.
        3);
  }

  private static ReportingService service(ReportingConfig config) {
    return new ReportingService(pool, pool, config, LEVELS, CLOCK);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long keptUnder(ReportingService s) {
    return TestPostgres.count(
        "SELECT count(*) FROM portfolio_members WHERE portfolio_id = '"
            + portfolio
            + "' AND risk_basis = "
            + s.risk().basis());
  }

  /** Every figure to the cent, each ratio and variance to 1e-12 of itself. */
  private static void assertSameFigures(JsonObject actual, JsonObject expected) {
    assertThat(actual.getLong("members")).isEqualTo(8);
    assertThat(actual.getLong("scored")).isEqualTo(7);
    assertThat(actual.getString("exposure")).isEqualTo(expected.getString("exposure"));
    assertThat(actual.getString("unscored_exposure")).isEqualTo("7000.00");
    assertThat(actual.getJsonObject("ifrs9")).isEqualTo(expected.getJsonObject("ifrs9"));
    JsonObject basel = actual.getJsonObject("basel3");
    JsonObject expectedBasel = expected.getJsonObject("basel3");
    assertThat(basel.getString("rwa")).isEqualTo(expectedBasel.getString("rwa"));
    assertThat(basel.getString("capital_8pct")).isEqualTo(expectedBasel.getString("capital_8pct"));
    assertThat(basel.getDouble("average_risk_weight"))
        .isCloseTo(expectedBasel.getDouble("average_risk_weight"), within(1e-12));
    JsonObject solvency = actual.getJsonObject("solvency2");
    JsonObject expectedSolvency = expected.getJsonObject("solvency2");
    assertThat(solvency.getInteger("pd_groups"))
        .isEqualTo(expectedSolvency.getInteger("pd_groups"));
    assertThat(solvency.getString("scr")).isEqualTo(expectedSolvency.getString("scr"));
    assertThat(solvency.getString("total_lgd")).isEqualTo(expectedSolvency.getString("total_lgd"));
    assertThat(solvency.getDouble("variance"))
        .isCloseTo(
            expectedSolvency.getDouble("variance"),
            within(1e-12 * expectedSolvency.getDouble("variance")));
  }

  @Test
  void keptFiguresSumToWhatEachMemberGives() {
    ReportingService s = service(config(0.45));
    // Kept under another basis, or not at all: every scored member goes through MemberRisk.
    TestPostgres.execute(
        "UPDATE portfolio_members SET risk_basis = NULL WHERE portfolio_id = '" + portfolio + "'");
    ReportingService.Totals perMember = await(s.regulatoryTotals(portfolio));
    assertThat(perMember.perMember()).isEqualTo(7);
    assertThat(perMember.kept()).isZero();
    JsonObject expected = perMember.toJson(s.config());
    // Stage counts as worked out above.
    var stages = expected.getJsonObject("ifrs9").getJsonArray("stages");
    assertThat(stages.getJsonObject(0).getLong("count")).isEqualTo(3);
    assertThat(stages.getJsonObject(1).getLong("count")).isEqualTo(2);
    assertThat(stages.getJsonObject(2).getLong("count")).isEqualTo(2);

    assertThat(await(s.refreshRiskFigures())).isGreaterThanOrEqualTo(7);
    assertThat(keptUnder(s)).isEqualTo(7);
    ReportingService.Totals kept = await(s.regulatoryTotals(portfolio));
    // F's 45 days past due are counted on the day: it never comes from kept figures.
    assertThat(kept.kept()).isEqualTo(6);
    assertThat(kept.perMember()).isEqualTo(1);
    assertSameFigures(kept.toJson(s.config()), expected);

    // A new score and a new exposure make those two rows stale; until the next refresh they are
    // computed one by one, with the same totals as once refreshed.
    TestPostgres.execute("UPDATE company_scores SET pd = 0.04 WHERE company_id = " + id(a));
    TestPostgres.execute(
        "UPDATE portfolio_members SET exposure = 64000.01 WHERE portfolio_id = '"
            + portfolio
            + "' AND reference = 'G'");
    assertThat(keptUnder(s)).isEqualTo(5);
    ReportingService.Totals mixed = await(s.regulatoryTotals(portfolio));
    assertThat(mixed.perMember()).isEqualTo(3);
    JsonObject afterChange = mixed.toJson(s.config());
    assertThat(afterChange.getJsonObject("ifrs9")).isNotEqualTo(expected.getJsonObject("ifrs9"));
    await(s.refreshRiskFigures());
    ReportingService.Totals refreshed = await(s.regulatoryTotals(portfolio));
    assertThat(refreshed.perMember()).isEqualTo(1);
    assertSameFigures(refreshed.toJson(s.config()), afterChange);
  }

  @Test
  void anotherConfigurationDoesNotReadFiguresKeptUnderThisOne() {
    ReportingService s = service(config(0.45));
    ReportingService other = service(config(0.40));
    assertThat(other.risk().basis()).isNotEqualTo(s.risk().basis());
    await(s.refreshRiskFigures());
    // Figures kept for LGD 45 %: an instance configured with 40 % computes every member itself.
    ReportingService.Totals perMember = await(other.regulatoryTotals(portfolio));
    assertThat(perMember.kept()).isZero();
    JsonObject expected = perMember.toJson(other.config());
    assertThat(expected.getJsonObject("ifrs9"))
        .isNotEqualTo(await(s.regulatory(portfolio)).getJsonObject("ifrs9"));
    await(other.refreshRiskFigures());
    assertThat(keptUnder(other)).isEqualTo(7);
    ReportingService.Totals kept = await(other.regulatoryTotals(portfolio));
    assertThat(kept.kept()).isEqualTo(6);
    assertSameFigures(kept.toJson(other.config()), expected);
  }

  @Test
  void onlyWhatTheFiguresReadMakesThemStale() {
    ReportingService s = service(config(0.45));
    await(s.refreshRiskFigures());
    String where = " WHERE portfolio_id = '" + portfolio + "' AND reference = 'C'";
    TestPostgres.execute("UPDATE portfolio_members SET recommended_limit = 1000" + where);
    assertThat(TestPostgres.string("SELECT risk_basis::text FROM portfolio_members" + where))
        .isEqualTo(Long.toString(s.risk().basis()));
    TestPostgres.execute("UPDATE portfolio_members SET payment_terms_days = 120" + where);
    assertThat(
            TestPostgres.string(
                "SELECT coalesce(risk_basis::text, 'stale') FROM portfolio_members" + where))
        .isEqualTo("stale");
    TestPostgres.execute(
        "UPDATE companies SET sector = '41.20A' WHERE id = (SELECT company_id FROM portfolio_members"
            + where
            + ")");
    await(s.refreshRiskFigures());
    assertThat(TestPostgres.string("SELECT risk_basis::text FROM portfolio_members" + where))
        .isEqualTo(Long.toString(s.risk().basis()));
    TestPostgres.execute(
        "UPDATE companies SET sector = '47.11F' WHERE id = (SELECT company_id FROM"
            + " portfolio_members"
            + where
            + ")");
    assertThat(
            TestPostgres.string(
                "SELECT coalesce(risk_basis::text, 'stale') FROM portfolio_members" + where))
        .isEqualTo("stale");
  }

  @Test
  void aMemberThatATransactionHoldsIsPassedOverNotWaitedFor() throws Exception {
    ReportingService s = service(config(0.45));
    TestPostgres.execute(
        "UPDATE portfolio_members SET risk_basis = NULL WHERE portfolio_id = '" + portfolio + "'");
    String where = " WHERE portfolio_id = '" + portfolio + "' AND reference = 'C'";
    try (java.sql.Connection holder =
        java.sql.DriverManager.getConnection(
            TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password())) {
      holder.setAutoCommit(false);
      try (java.sql.Statement st = holder.createStatement()) {
        // what a fact's transaction does to its company's members
        st.execute("SELECT 1 FROM portfolio_members" + where + " FOR NO KEY UPDATE");
        long written = await(s.refreshRiskFigures());
        assertThat(written).isGreaterThanOrEqualTo(1);
        assertThat(
                TestPostgres.string(
                    "SELECT coalesce(risk_basis::text, 'stale') FROM portfolio_members" + where))
            .isEqualTo("stale");
        assertThat(
                TestPostgres.count(
                    "SELECT count(*) FROM portfolio_members WHERE portfolio_id = '"
                        + portfolio
                        + "' AND reference <> 'C' AND current_pd IS NOT NULL"
                        + " AND risk_basis IS NULL"))
            .isZero();
      }
      holder.rollback();
    }
    await(s.refreshRiskFigures());
    assertThat(TestPostgres.string("SELECT risk_basis::text FROM portfolio_members" + where))
        .isEqualTo(Long.toString(s.risk().basis()));
  }
}
