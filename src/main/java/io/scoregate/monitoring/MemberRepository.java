package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Portfolio members in Postgres: writes by batch, the listing with scores, lookups. */
final class MemberRepository {

  /** A member row as the writers and the evaluator see it. */
  record Holding(
      UUID portfolioId,
      String tenantId,
      long companyId,
      String reference,
      BigDecimal exposure,
      BigDecimal recommendedLimit,
      String country,
      String nationalId,
      String companyName) {}

  /** A member to add or update. */
  record Write(
      long companyId,
      String reference,
      BigDecimal exposure,
      String currency,
      Integer paymentTermsDays,
      CreditTerms.Terms terms) {}

  /** A company found by its identifier. */
  record Company(long id, String country, String nationalId) {}

  /** The companies with these identifiers, by "country:national id". */
  Future<Map<String, Company>> companies(SqlClient sql, String[] countries, String[] ids) {
    return sql.preparedQuery(
            "SELECT c.id, c.country, c.national_id FROM companies c"
                + " JOIN unnest($1::text[], $2::text[]) AS k(country, national_id)"
                + " ON c.country = k.country AND c.national_id = k.national_id")
        .execute(Tuple.of(countries, (Object) ids))
        .map(
            rows -> {
              Map<String, Company> out = new HashMap<>();
              for (Row row : rows) {
                Company c =
                    new Company(
                        row.getLong("id"), row.getString("country"), row.getString("national_id"));
                out.put(c.country() + ":" + c.nationalId(), c);
              }
              return out;
            });
  }

  /** Reference -> company id of the members that hold any of these companies or references. */
  Future<Map<String, Long>> existing(
      SqlClient sql, UUID portfolioId, Long[] companyIds, String[] references) {
    return sql.preparedQuery(
            "SELECT reference, company_id FROM portfolio_members WHERE portfolio_id = $1"
                + " AND (company_id = ANY($2) OR reference = ANY($3))")
        .execute(Tuple.of(portfolioId, companyIds, (Object) references))
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(row -> out.put(row.getString("reference"), row.getLong("company_id")));
              return out;
            });
  }

  /**
   * Adds or updates members (by reference). A new member's origination PD is its company's current
   * PD, when it has one (else the first PD computed later).
   */
  Future<Void> upsert(SqlClient tx, UUID portfolioId, List<Write> writes, Instant at) {
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = writes.size();
    Long[] companies = new Long[n];
    String[] references = new String[n];
    String[] exposures = new String[n];
    String[] currencies = new String[n];
    Integer[] paymentTerms = new Integer[n];
    String[] limits = new String[n];
    Integer[] terms = new Integer[n];
    for (int i = 0; i < n; i++) {
      Write w = writes.get(i);
      companies[i] = w.companyId();
      references[i] = w.reference();
      exposures[i] = w.exposure().toPlainString();
      currencies[i] = w.currency();
      paymentTerms[i] = w.paymentTermsDays();
      limits[i] = w.terms().limit() == null ? null : w.terms().limit().toPlainString();
      terms[i] = w.terms().termDays();
    }
    return tx.preparedQuery(
            "INSERT INTO portfolio_members (portfolio_id, company_id, reference, exposure, currency,"
                + " payment_terms_days, origination_pd, recommended_limit, recommended_term,"
                + " added_at, updated_at)"
                + " SELECT $1, u.company_id, u.reference, u.exposure::numeric, u.currency,"
                + " u.payment_terms, s.pd, u.rlimit::numeric, u.rterm, $2, $2"
                + " FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::int[],"
                + " $8::text[], $9::int[])"
                + " AS u(company_id, reference, exposure, currency, payment_terms, rlimit, rterm)"
                + " LEFT JOIN company_scores s ON s.company_id = u.company_id"
                + " ON CONFLICT (portfolio_id, reference) DO UPDATE SET"
                + " exposure = EXCLUDED.exposure, currency = EXCLUDED.currency,"
                + " payment_terms_days = EXCLUDED.payment_terms_days,"
                + " recommended_limit = EXCLUDED.recommended_limit,"
                + " recommended_term = EXCLUDED.recommended_term, updated_at = EXCLUDED.updated_at")
        .execute(
            Tuple.from(
                new Object[] {
                  portfolioId,
                  PortfolioRepository.time(at),
                  companies,
                  references,
                  exposures,
                  currencies,
                  paymentTerms,
                  limits,
                  terms
                }))
        .mapEmpty();
  }

  /** Removes members by reference (and their rule conditions); the references removed. */
  Future<java.util.Set<String>> remove(SqlClient tx, UUID portfolioId, String[] references) {
    if (references.length == 0) {
      return Future.succeededFuture(java.util.Set.of());
    }
    return tx.preparedQuery(
            "WITH gone AS (DELETE FROM portfolio_members WHERE portfolio_id = $1"
                + " AND reference = ANY($2) RETURNING company_id, reference),"
                + " cleared AS (DELETE FROM alert_conditions c USING gone"
                + " WHERE c.portfolio_id = $1 AND c.company_id = gone.company_id)"
                + " SELECT reference FROM gone")
        .execute(Tuple.of(portfolioId, (Object) references))
        .map(
            rows -> {
              java.util.Set<String> out = new java.util.HashSet<>();
              rows.forEach(row -> out.add(row.getString(0)));
              return out;
            });
  }

  /**
   * The members holding these companies, in one portfolio or (portfolioId null) in every portfolio
   * of every tenant.
   */
  Future<List<Holding>> holding(SqlClient sql, UUID portfolioId, Long[] companyIds) {
    return sql.preparedQuery(
            "SELECT m.portfolio_id, p.tenant_id, m.company_id, m.reference, m.exposure,"
                + " m.recommended_limit, c.country, c.national_id, c.name"
                + " FROM portfolio_members m JOIN portfolios p ON p.id = m.portfolio_id"
                + " JOIN companies c ON c.id = m.company_id"
                + " WHERE m.company_id = ANY($1) AND ($2::uuid IS NULL OR m.portfolio_id = $2)")
        .execute(Tuple.of(companyIds, portfolioId))
        .map(
            rows -> {
              List<Holding> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new Holding(
                        row.getUUID("portfolio_id"),
                        row.getString("tenant_id"),
                        row.getLong("company_id"),
                        row.getString("reference"),
                        row.getBigDecimal("exposure"),
                        row.getBigDecimal("recommended_limit"),
                        row.getString("country"),
                        row.getString("national_id"),
                        row.getString("name")));
              }
              return out;
            });
  }

  /**
   * What the policy reads of each company that has a current score: the score, the latest
   * statement's monthly sales and equity, and whether an insolvency proceeding is open.
   */
  Future<Map<Long, CreditTerms.Input>> termsInputs(SqlClient sql, Long[] companyIds) {
    return sql.preparedQuery(
            "SELECT s.company_id, s.score, s.pd, s.risk_level, f.sales, f.equity,"
                + " EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = s.company_id"
                + " AND e.kind = 'insolvency_proceeding' AND e.closed_on IS NULL) AS open_proceeding"
                + " FROM company_scores s LEFT JOIN LATERAL (SELECT sales, equity"
                + " FROM financial_statements WHERE company_id = s.company_id"
                + " ORDER BY fiscal_year DESC LIMIT 1) f ON true WHERE s.company_id = ANY($1)")
        .execute(Tuple.of((Object) companyIds))
        .map(
            rows -> {
              Map<Long, CreditTerms.Input> out = new HashMap<>();
              for (Row row : rows) {
                out.put(
                    row.getLong("company_id"),
                    new CreditTerms.Input(
                        row.getInteger("score"),
                        row.getDouble("pd"),
                        row.getString("risk_level"),
                        orNaN(row.getBigDecimal("sales"), 12),
                        orNaN(row.getBigDecimal("equity"), 1),
                        row.getBoolean("open_proceeding")));
              }
              return out;
            });
  }

  private static double orNaN(BigDecimal value, int divisor) {
    return value == null ? Double.NaN : value.doubleValue() / divisor;
  }

  /** New terms for the members of a company; fills the origination PD where it is still empty. */
  /** A member's new recommended terms, and the company's PD for its origination. */
  record Revision(UUID portfolioId, long companyId, Double pd, CreditTerms.Terms terms) {}

  Future<Void> reviseTerms(SqlClient tx, List<Revision> revisions) {
    int n = revisions.size();
    if (n == 0) {
      return Future.succeededFuture();
    }
    UUID[] portfolios = new UUID[n];
    Long[] companies = new Long[n];
    Double[] pds = new Double[n];
    String[] limits = new String[n];
    Integer[] days = new Integer[n];
    for (int i = 0; i < n; i++) {
      Revision r = revisions.get(i);
      portfolios[i] = r.portfolioId();
      companies[i] = r.companyId();
      pds[i] = r.pd();
      limits[i] = r.terms().limit() == null ? null : r.terms().limit().toPlainString();
      days[i] = r.terms().termDays();
    }
    return tx.preparedQuery(
            "UPDATE portfolio_members m SET recommended_limit = u.rlimit::numeric,"
                + " recommended_term = u.rterm, origination_pd = COALESCE(m.origination_pd, u.pd)"
                + " FROM unnest($1::uuid[], $2::bigint[], $3::float8[], $4::text[], $5::int[])"
                + " AS u(portfolio_id, company_id, pd, rlimit, rterm)"
                + " WHERE m.company_id = u.company_id AND m.portfolio_id = u.portfolio_id")
        .execute(Tuple.from(new Object[] {portfolios, companies, pds, limits, days}))
        .mapEmpty();
  }

  /** Filters of the members listing; each null means "any". */
  record Filter(String riskLevel, Integer scoreBelow, String sector, String region) {}

  /** A page of members in reference order after {@code afterReference} (keyset). */
  Future<List<Member>> list(
      SqlClient sql, UUID portfolioId, Filter f, String afterReference, int limit) {
    return sql.preparedQuery(
            "SELECT m.reference, c.country, c.national_id, c.name, c.sector, c.region, m.exposure,"
                + " m.currency, m.payment_terms_days, m.origination_pd, m.recommended_limit,"
                + " m.recommended_term, m.added_at, s.score, s.pd, s.grade, s.risk_level,"
                + " h.recorded_at, h.score AS h_score, h.prev_score, h.cause"
                + " FROM portfolio_members m JOIN companies c ON c.id = m.company_id"
                + " LEFT JOIN company_scores s ON s.company_id = m.company_id"
                + " LEFT JOIN LATERAL (SELECT recorded_at, score, cause,"
                + " lead(score) OVER (ORDER BY recorded_at DESC, id DESC) AS prev_score"
                + " FROM (SELECT id, recorded_at, score, cause FROM score_history"
                + " WHERE company_id = m.company_id ORDER BY recorded_at DESC, id DESC LIMIT 2) last2"
                + " ORDER BY recorded_at DESC, id DESC LIMIT 1) h ON true"
                + " WHERE m.portfolio_id = $1 AND ($2::text IS NULL OR m.reference > $2)"
                + " AND ($3::text IS NULL OR s.risk_level = $3)"
                + " AND ($4::int IS NULL OR s.score < $4)"
                + " AND ($5::text IS NULL OR c.sector LIKE $5 || '%')"
                + " AND ($6::text IS NULL OR c.region = $6)"
                + " ORDER BY m.reference LIMIT $7")
        .execute(
            Tuple.from(
                new Object[] {
                  portfolioId,
                  afterReference,
                  f.riskLevel(),
                  f.scoreBelow(),
                  f.sector(),
                  f.region(),
                  limit
                }))
        .map(
            rows -> {
              List<Member> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(member(row));
              }
              return out;
            });
  }

  private static Member member(Row row) {
    return new Member(
        row.getString("reference"),
        row.getString("country"),
        row.getString("national_id"),
        row.getString("name"),
        row.getString("sector"),
        row.getString("region"),
        row.getBigDecimal("exposure"),
        row.getString("currency"),
        row.getInteger("payment_terms_days"),
        row.getDouble("origination_pd"),
        row.getBigDecimal("recommended_limit"),
        row.getInteger("recommended_term"),
        PortfolioRepository.instant(row, "added_at"),
        row.getInteger("score"),
        row.getDouble("pd"),
        row.getString("grade"),
        row.getString("risk_level"),
        PortfolioRepository.instant(row, "recorded_at"),
        row.getInteger("prev_score"),
        row.getInteger("h_score"),
        row.getString("cause"));
  }

  Future<Long> count(SqlClient sql, UUID portfolioId) {
    return sql.preparedQuery("SELECT count(*) FROM portfolio_members WHERE portfolio_id = $1")
        .execute(Tuple.of(portfolioId))
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
