package io.scoregate.support;

import io.scoregate.company.Identifiers;

/** Inserts companies for integration tests, each with identifiers unique to the calling test. */
public final class TestCompanies {

  private static int next = (int) (System.nanoTime() % 1_000_000);

  private TestCompanies() {}

  /** A valid SIREN no other test uses in this JVM. */
  public static synchronized String newSiren() {
    while (true) {
      String body = String.format("9%07d", (next++ % 10_000_000));
      String siren = body + luhnDigit(body);
      try {
        Identifiers.parse("FR", siren);
        return siren;
      } catch (RuntimeException e) {
        // not valid: try the next number
      }
    }
  }

  /** A valid SIRET of an establishment of this company. */
  public static String siretOf(String siren) {
    String body = siren + "0001";
    return body + luhnDigit(body);
  }

  static char luhnDigit(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  /** A profitable, well-capitalised manufacturer with three years of statements. */
  public static void insertHealthy(String siren, String name) {
    insert(siren, name, 1.0);
  }

  /**
   * A company whose statements scale from healthy (1.0) to distressed (0.0): equity and profits
   * shrink, debt and late receivables grow.
   */
  public static void insert(String siren, String name, double health) {
    TestPostgres.execute(
        "INSERT INTO companies (country, national_id, name, legal_form, sector, region, created_on)"
            + " VALUES ('FR', '"
            + siren
            + "', '"
            + name
            + "', 'SAS', '25.62A',"
            + " 'Auvergne-Rhône-Alpes', '2001-03-14')");
    for (int year = 2023; year <= 2025; year++) {
      double growth = Math.pow(1.05, year - 2023);
      double assets = 10_000_000 * growth;
      double equity = assets * (0.05 + 0.5 * health);
      double liabilities = assets - equity;
      double shortTerm = liabilities * 0.6;
      double sales = assets * (0.6 + 0.8 * health);
      double netProfit = sales * (-0.12 + 0.2 * health);
      double gross = netProfit * 1.25;
      double operating = netProfit * 1.3;
      double receivables = sales * (0.35 - 0.2 * health);
      double inventory = sales * 0.12;
      double cash = assets * (0.01 + 0.1 * health);
      double current = receivables + inventory + cash;
      TestPostgres.execute(
          "INSERT INTO financial_statements (company_id, fiscal_year, period_end, total_assets,"
              + " fixed_assets, current_assets, inventory, receivables, cash, short_term_securities,"
              + " equity, share_capital, retained_earnings, total_liabilities,"
              + " short_term_liabilities, long_term_liabilities, sales, cost_of_products_sold,"
              + " operating_expenses, total_costs, profit_on_sales, operating_profit,"
              + " financial_expenses, interest, extraordinary_items, gross_profit, ebit,"
              + " depreciation, net_profit)"
              + " SELECT id, "
              + year
              + ", '"
              + year
              + "-12-31', "
              + assets
              + ", "
              + (assets - current)
              + ", "
              + current
              + ", "
              + inventory
              + ", "
              + receivables
              + ", "
              + cash
              + ", 0, "
              + equity
              + ", "
              + (equity * 0.3)
              + ", "
              + (equity * 0.5)
              + ", "
              + liabilities
              + ", "
              + shortTerm
              + ", "
              + (liabilities - shortTerm)
              + ", "
              + sales
              + ", "
              + (sales * 0.7)
              + ", "
              + (sales - operating)
              + ", "
              + (sales - netProfit)
              + ", "
              + operating
              + ", "
              + operating
              + ", "
              + (liabilities * 0.03)
              + ", "
              + (liabilities * 0.03)
              + ", 0, "
              + gross
              + ", "
              + (operating + 1)
              + ", "
              + (assets * 0.04)
              + ", "
              + netProfit
              + " FROM companies WHERE country = 'FR' AND national_id = '"
              + siren
              + "'");
    }
  }

  public static void insertProceeding(String siren, String proceedingKind, String since) {
    insertEvent(
        siren, "'insolvency_proceeding', '" + since + "', NULL, NULL, '" + proceedingKind + "'");
  }

  public static void insertIncident(String siren, String on, double amount, int daysLate) {
    insertEvent(siren, "'payment_incident', '" + on + "', " + amount + ", " + daysLate + ", NULL");
  }

  private static void insertEvent(String siren, String values) {
    TestPostgres.execute(
        "INSERT INTO company_events (company_id, kind, occurred_on, amount, days_late,"
            + " proceeding_kind, external_ref) SELECT id, "
            + values
            + ", 'test-"
            + System.nanoTime()
            + "' FROM companies WHERE country = 'FR' AND national_id = '"
            + siren
            + "'");
  }
}
