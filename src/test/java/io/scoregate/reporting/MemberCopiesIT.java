package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The members' copies of their companies' facts (V16, kept per statement since V19) against the
 * facts themselves, after statements that each write several companies at once: the way facts,
 * re-scorings and imports write them. The oracle is {@code company_member_facts}, V16's per-company
 * derivation, and the portfolio's cells against its members.
 */
class MemberCopiesIT {

  private static final String[] SECTORS = {"25.62A", "41.20A", "47.11F", null};
  private static final String[] REGIONS = {"Bretagne", "Occitanie", null};
  private static final String[] LEVELS = {"low", "medium", "high", "very_high"};

  private static final List<String> companies = new ArrayList<>();
  private static String members;
  private static String all;
  private static UUID first;
  private static UUID second;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    String tenant = "copies-" + System.nanoTime();
    TestPostgres.execute(
        "INSERT INTO tenants (id, name, rate_per_second, burst, monthly_quota) VALUES ('"
            + tenant
            + "', 'Copies', 10, 10, 1000)");
    first = TestPortfolios.create(tenant, "First");
    second = TestPortfolios.create(tenant, "Second");
    // Four members (the first company in both portfolios) and two companies no portfolio holds.
    for (int i = 0; i < 4; i++) {
      String siren =
          TestPortfolios.member(
              first,
              "M" + i,
              "25.62A",
              "Bretagne",
              (i + 1) + "000.00",
              0.05,
              60,
              "G6",
              "medium",
              60,
              0.05);
      companies.add(TestPortfolios.companyId(siren));
    }
    TestPostgres.execute(
        "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure, added_at,"
            + " updated_at) VALUES ('"
            + second
            + "', "
            + companies.get(0)
            + ", 'S0', 500.00, now(), now())");
    for (int i = 0; i < 2; i++) {
      String siren = io.scoregate.support.TestCompanies.newSiren();
      TestPostgres.execute(
          "INSERT INTO companies (country, national_id, name) VALUES ('FR', '"
              + siren
              + "', 'Outsider "
              + i
              + "')");
      companies.add(TestPortfolios.companyId(siren));
    }
    members = "(" + String.join(", ", companies.subList(0, 4)) + ")";
    all = "(" + String.join(", ", companies) + ")";
  }

  /** Members of the test's companies whose copies differ from what their sources say now. */
  private static long stale() {
    return TestPostgres.count(staleSql());
  }

  private static String staleSql() {
    return "SELECT count(*) FROM portfolio_members pm, company_member_facts(pm.company_id) f"
        + " WHERE pm.company_id IN "
        + members
        + " AND (pm.company_section, pm.company_division, pm.company_region,"
        + " pm.company_ceased, pm.company_sales, pm.company_open_proceeding,"
        + " pm.company_last_incident_on, pm.current_score, pm.current_pd, pm.current_grade,"
        + " pm.current_level) IS DISTINCT FROM (f.section, f.division, f.region, f.ceased,"
        + " f.sales, f.open_proceeding, f.last_incident_on, f.score, f.pd, f.grade,"
        + " f.risk_level)";
  }

  /** Cells of the portfolio whose sums differ from its members' (either way round). */
  private static long cellsOff(UUID portfolio) {
    return TestPostgres.count(cellsOffSql(portfolio));
  }

  private static String cellsOffSql(UUID portfolio) {
    String members =
        "SELECT current_level, current_grade, company_section, company_division, company_region,"
            + " count(*)::bigint, sum(exposure) FROM portfolio_members WHERE portfolio_id = '"
            + portfolio
            + "' GROUP BY 1, 2, 3, 4, 5";
    String cells =
        "SELECT risk_level, grade, section, division, region, sum(members)::bigint,"
            + " sum(exposure) FROM portfolio_cells WHERE portfolio_id = '"
            + portfolio
            + "' GROUP BY 1, 2, 3, 4, 5 HAVING sum(members) <> 0";
    return "SELECT count(*) FROM (("
        + members
        + " EXCEPT "
        + cells
        + ") UNION ALL ("
        + cells
        + " EXCEPT "
        + members
        + ")) off";
  }

  @Test
  void aStatementOverSeveralCompaniesUpdatesEachMember() {
    TestPostgres.execute(
        "UPDATE companies SET status = 'ceased', sector = '47.11F' WHERE id IN " + all,
        "INSERT INTO company_events (company_id, kind, occurred_on, amount, days_late,"
            + " external_ref) SELECT id, 'payment_incident', ('2026-10-0' || (id % 9 + 1))::date,"
            + " 1000, 30, 'copies-' || id || '-' || "
            + System.nanoTime()
            + " FROM companies WHERE id IN "
            + all,
        "INSERT INTO company_scores AS s (company_id, score, pd, grade, risk_level,"
            + " model_version, reasons, computed_at) SELECT id, 20, 0.2, 'G9', 'very_high',"
            + " 'test-model', '[]', now() FROM companies WHERE id IN "
            + all
            + " ON CONFLICT (company_id) DO UPDATE SET score = excluded.score, pd = excluded.pd,"
            + " grade = excluded.grade, risk_level = excluded.risk_level");

    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM portfolio_members WHERE company_id IN "
                    + members
                    + " AND company_ceased AND company_section = 'G' AND current_score = 20"
                    + " AND current_level = 'very_high' AND company_last_incident_on IS NOT NULL"))
        .as("every member of the four companies, the one in two portfolios twice")
        .isEqualTo(5);
    assertThat(stale()).isZero();
    assertThat(cellsOff(first)).isZero();
    assertThat(cellsOff(second)).isZero();
  }

  @Test
  void copiesFollowAnySequenceOfSetStatements() throws SQLException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String check =
        "SELECT ("
            + staleSql()
            + ") + ("
            + cellsOffSql(first)
            + ") + ("
            + cellsOffSql(second)
            + ")";
    try (Connection c =
            DriverManager.getConnection(
                TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password());
        Statement s = c.createStatement()) {
      for (int step = 0; step < 100; step++) {
        String statement = statement(random, subset(random), step);
        s.execute(statement);
        try (ResultSet off = s.executeQuery(check)) {
          off.next();
          assertThat(off.getLong(1)).as("seed %d, step %d: %s", seed, step, statement).isZero();
        }
      }
    }
  }

  /** Some of the test's companies, members and others, never none. */
  private static String subset(Random random) {
    StringJoiner in = new StringJoiner(", ", "(", ")");
    for (String company : companies) {
      if (random.nextInt(3) > 0) {
        in.add(company);
      }
    }
    in.add(companies.get(random.nextInt(companies.size())));
    return in.toString();
  }

  private static String statement(Random random, String subset, int step) {
    IntFunction<String> pick =
        n ->
            switch (n) {
              case 0 -> "'" + SECTORS[random.nextInt(SECTORS.length)] + "'";
              case 1 -> "'" + REGIONS[random.nextInt(REGIONS.length)] + "'";
              default -> "'" + LEVELS[random.nextInt(LEVELS.length)] + "'";
            };
    String where = " WHERE company_id IN " + subset;
    return switch (random.nextInt(12)) {
      case 0 ->
          "UPDATE companies SET status = CASE WHEN random() < 0.5 THEN 'active' ELSE 'ceased'"
              + " END, sector = nullif("
              + pick.apply(0)
              + ", 'null'), region = nullif("
              + pick.apply(1)
              + ", 'null') WHERE id IN "
              + subset;
      case 1 -> "UPDATE companies SET name = name || '.' WHERE id IN " + subset;
      case 2 ->
          "INSERT INTO company_events (company_id, kind, occurred_on, amount, days_late,"
              + " proceeding_kind, status, external_ref) SELECT id, k, DATE '2026-01-01' +"
              + " (random() * 300)::int, 500, 20, CASE WHEN k = 'insolvency_proceeding' THEN"
              + " 'sauvegarde' END, CASE WHEN k = 'status_changed' THEN 'active' END, 'copies-'"
              + " || id || '-' || k || '-"
              + step
              + "-"
              + System.nanoTime()
              + "' FROM companies, (VALUES ('payment_incident'), ('insolvency_proceeding'),"
              + " ('status_changed'), ('accounts_filed')) AS kinds(k) WHERE id IN "
              + subset
              + " AND random() < 0.4";
      case 3 ->
          "UPDATE company_events SET closed_on = occurred_on + 30"
              + where
              + " AND kind = 'insolvency_proceeding' AND closed_on IS NULL";
      case 4 -> "UPDATE company_events SET occurred_on = occurred_on + 1" + where;
      case 5 -> "DELETE FROM company_events" + where + " AND random() < 0.3";
      case 6 ->
          "INSERT INTO financial_statements (company_id, fiscal_year, sales) SELECT id, "
              + (2018 + random.nextInt(8))
              + ", round((random() * 1e6)::numeric, 2) FROM companies WHERE id IN "
              + subset
              + " ON CONFLICT (company_id, fiscal_year) DO UPDATE SET sales = excluded.sales";
      case 7 ->
          "UPDATE financial_statements f SET fiscal_year = 2100 + "
              + step
              + where
              + " AND fiscal_year = (SELECT min(fiscal_year) FROM financial_statements o"
              + " WHERE o.company_id = f.company_id)";
      case 8 -> "DELETE FROM financial_statements" + where + " AND random() < 0.3";
      case 9, 10 ->
          "INSERT INTO company_scores AS s (company_id, score, pd, grade, risk_level,"
              + " model_version, reasons, computed_at) SELECT id, (random() * 100)::int,"
              + " random() * 0.3, 'G' || (1 + (random() * 9)::int), "
              + pick.apply(2)
              + ", 'test-model', '[]', now() FROM companies WHERE id IN "
              + subset
              + " ON CONFLICT (company_id) DO UPDATE SET score = excluded.score, pd ="
              + " excluded.pd, grade = excluded.grade, risk_level = excluded.risk_level"
              + " WHERE random() < 0.7";
      default -> "DELETE FROM company_scores" + where + " AND random() < 0.5";
    };
  }
}
