package io.scoregate.reporting;

import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestPostgres;
import java.util.UUID;

/** Portfolios and scored members written straight into the test database. */
final class TestPortfolios {

  private TestPortfolios() {}

  static UUID create(String tenant, String name) {
    UUID id = UUID.randomUUID();
    TestPostgres.execute(
        "INSERT INTO portfolios (id, tenant_id, name, created_at, updated_at) VALUES ('"
            + id
            + "', '"
            + tenant
            + "', '"
            + name
            + "', now(), now())");
    return id;
  }

  /**
   * A new company in the portfolio, with a current score when {@code pd} is not null; returns its
   * SIREN.
   */
  static String member(
      UUID portfolio,
      String reference,
      String sector,
      String region,
      String exposure,
      Double pd,
      Integer score,
      String grade,
      String level,
      Integer termDays,
      Double originationPd) {
    String siren = TestCompanies.newSiren();
    TestPostgres.execute(
        "INSERT INTO companies (country, national_id, name, sector, region) VALUES ('FR', '"
            + siren
            + "', 'Company "
            + reference
            + "', "
            + quoted(sector)
            + ", "
            + quoted(region)
            + ")");
    String id = companyId(siren);
    if (pd != null) {
      TestPostgres.execute(
          "INSERT INTO company_scores (company_id, score, pd, grade, risk_level, model_version,"
              + " reasons, computed_at) VALUES ("
              + id
              + ", "
              + score
              + ", "
              + pd
              + ", '"
              + grade
              + "', '"
              + level
              + "', 'test-model', '[]', now())");
    }
    TestPostgres.execute(
        "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure,"
            + " payment_terms_days, origination_pd, added_at, updated_at) VALUES ('"
            + portfolio
            + "', "
            + id
            + ", '"
            + reference
            + "', "
            + exposure
            + ", "
            + termDays
            + ", "
            + originationPd
            + ", '2026-01-05T00:00:00Z', now())");
    return siren;
  }

  static String companyId(String siren) {
    return "(SELECT id FROM companies WHERE country = 'FR' AND national_id = '" + siren + "')";
  }

  private static String quoted(String s) {
    return s == null ? "NULL" : "'" + s + "'";
  }
}
