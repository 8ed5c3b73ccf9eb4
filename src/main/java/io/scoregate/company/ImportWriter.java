package io.scoregate.company;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one batch of import records in one statement: unnest the batch's columns, upsert, and
 * rewrite only rows that differ, so that importing the same file twice changes nothing and the
 * counts say what really happened. Statements and events whose company is not on file are returned
 * as rejected (their position in the batch).
 */
final class ImportWriter {

  /** What one batch did. {@code unmatched} are batch positions whose company is unknown. */
  record Result(long inserted, long updated, List<Integer> unmatched) {}

  private static final String COMPANIES_SQL =
      """
      WITH upserted AS (
        INSERT INTO companies AS c (country, national_id, name, legal_form, sector, region,
                                    created_on, status, lei)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                             $6::text[], $7::date[], $8::text[], $9::text[])
        ON CONFLICT (country, national_id) DO UPDATE SET
          name = excluded.name, legal_form = excluded.legal_form, sector = excluded.sector,
          region = excluded.region, created_on = excluded.created_on, status = excluded.status,
          lei = excluded.lei, updated_at = now()
        WHERE (c.name, c.legal_form, c.sector, c.region, c.created_on, c.status, c.lei)
              IS DISTINCT FROM (excluded.name, excluded.legal_form, excluded.sector,
              excluded.region, excluded.created_on, excluded.status, excluded.lei)
        RETURNING (xmax = 0) AS inserted)
      SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
             ARRAY[]::int[] FROM upserted
      """;

  private static final String STATEMENTS_SQL;
  private static final String EVENTS_SQL =
      """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                             $6::date[], $7::float8[], $8::int[], $9::text[], $10::date[])
                 WITH ORDINALITY
             AS t(country, national_id, source, external_ref, kind, occurred_on, amount,
                  days_late, proceeding_kind, closed_on, ord)),
      matched AS (
        SELECT c.id AS company_id, i.* FROM input i
        JOIN companies c ON c.country = i.country AND c.national_id = i.national_id),
      upserted AS (
        INSERT INTO company_events AS e (company_id, source, external_ref, kind, occurred_on,
                                         amount, days_late, proceeding_kind, closed_on)
        SELECT company_id, source, external_ref, kind, occurred_on, amount, days_late,
               proceeding_kind, closed_on FROM matched
        ON CONFLICT (source, external_ref) DO UPDATE SET
          company_id = excluded.company_id, kind = excluded.kind,
          occurred_on = excluded.occurred_on, amount = excluded.amount,
          days_late = excluded.days_late, proceeding_kind = excluded.proceeding_kind,
          closed_on = excluded.closed_on
        WHERE (e.company_id, e.kind, e.occurred_on, e.amount, e.days_late, e.proceeding_kind,
               e.closed_on)
              IS DISTINCT FROM (excluded.company_id, excluded.kind, excluded.occurred_on,
              excluded.amount, excluded.days_late, excluded.proceeding_kind, excluded.closed_on)
        RETURNING (xmax = 0) AS inserted)
      SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
             ARRAY(SELECT i.ord::int FROM input i LEFT JOIN companies c
                     ON c.country = i.country AND c.national_id = i.national_id
                   WHERE c.id IS NULL)
      FROM upserted
      """;

  static {
    List<String> cols = CompanyRepository.LINE_COLUMNS;
    StringBuilder arrays = new StringBuilder();
    StringBuilder names = new StringBuilder();
    StringBuilder sets = new StringBuilder();
    StringBuilder old = new StringBuilder();
    StringBuilder neu = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      String c = cols.get(i);
      arrays.append(", $").append(i + 6).append("::float8[]");
      names.append(", ").append(c);
      sets.append(", ").append(c).append(" = excluded.").append(c);
      old.append(", s.").append(c);
      neu.append(", excluded.").append(c);
    }
    STATEMENTS_SQL =
        """
        WITH input AS (
          SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::date[], $5::text[]%s)
                   WITH ORDINALITY AS t(country, national_id, fiscal_year, period_end, currency%s, ord)),
        matched AS (
          SELECT c.id AS company_id, i.* FROM input i
          JOIN companies c ON c.country = i.country AND c.national_id = i.national_id),
        upserted AS (
          INSERT INTO financial_statements AS s (company_id, fiscal_year, period_end, currency%s)
          SELECT company_id, fiscal_year, period_end, currency%s FROM matched
          ON CONFLICT (company_id, fiscal_year) DO UPDATE SET
            period_end = excluded.period_end, currency = excluded.currency%s, updated_at = now()
          WHERE (s.period_end, s.currency%s) IS DISTINCT FROM
                (excluded.period_end, excluded.currency%s)
          RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
               ARRAY(SELECT i.ord::int FROM input i LEFT JOIN companies c
                       ON c.country = i.country AND c.national_id = i.national_id
                     WHERE c.id IS NULL)
        FROM upserted
        """
            .formatted(arrays, names, names, names, sets, old, neu);
  }

  private final SqlClient client;

  ImportWriter(SqlClient client) {
    this.client = client;
  }

  Future<Result> write(ImportRecord.Kind kind, List<ImportRecord> batch) {
    return switch (kind) {
      case COMPANIES -> run(COMPANIES_SQL, companies(batch));
      case STATEMENTS -> run(STATEMENTS_SQL, statements(batch));
      case EVENTS -> run(EVENTS_SQL, events(batch));
    };
  }

  private Future<Result> run(String sql, Tuple params) {
    return client
        .preparedQuery(sql)
        .execute(params)
        .map(
            rows -> {
              Row row = rows.iterator().next();
              List<Integer> unmatched = new ArrayList<>();
              for (Integer ord : row.getArrayOfIntegers(2)) {
                unmatched.add(ord - 1);
              }
              return new Result(row.getLong(0), row.getLong(1), unmatched);
            });
  }

  private static Tuple companies(List<ImportRecord> batch) {
    int n = batch.size();
    String[] country = new String[n];
    String[] id = new String[n];
    String[] name = new String[n];
    String[] form = new String[n];
    String[] sector = new String[n];
    String[] region = new String[n];
    LocalDate[] created = new LocalDate[n];
    String[] status = new String[n];
    String[] lei = new String[n];
    for (int i = 0; i < n; i++) {
      ImportRecord.Company c = (ImportRecord.Company) batch.get(i);
      country[i] = c.key().country();
      id[i] = c.key().nationalId();
      name[i] = c.name();
      form[i] = c.legalForm();
      sector[i] = c.sector();
      region[i] = c.region();
      created[i] = c.createdOn();
      status[i] = c.status();
      lei[i] = c.lei();
    }
    return Tuple.of(country, id, name, form, sector, region, created, status, lei);
  }

  private static Tuple statements(List<ImportRecord> batch) {
    int n = batch.size();
    int lines = CompanyRepository.LINE_COLUMNS.size();
    String[] country = new String[n];
    String[] id = new String[n];
    Integer[] year = new Integer[n];
    LocalDate[] periodEnd = new LocalDate[n];
    String[] currency = new String[n];
    Double[][] columns = new Double[lines][n];
    for (int i = 0; i < n; i++) {
      ImportRecord.Statement s = (ImportRecord.Statement) batch.get(i);
      country[i] = s.key().country();
      id[i] = s.key().nationalId();
      year[i] = s.lines().fiscalYear();
      periodEnd[i] = s.periodEnd();
      currency[i] = s.currency();
      double[] v = CompanyRepository.values(s.lines());
      for (int j = 0; j < lines; j++) {
        columns[j][i] = Double.isNaN(v[j]) ? null : v[j];
      }
    }
    Tuple t = Tuple.of(country, id, year, periodEnd, currency);
    for (Double[] column : columns) {
      t.addValue(column);
    }
    return t;
  }

  private static Tuple events(List<ImportRecord> batch) {
    int n = batch.size();
    String[] country = new String[n];
    String[] id = new String[n];
    String[] source = new String[n];
    String[] ref = new String[n];
    String[] kind = new String[n];
    LocalDate[] occurred = new LocalDate[n];
    Double[] amount = new Double[n];
    Integer[] late = new Integer[n];
    String[] proceeding = new String[n];
    LocalDate[] closed = new LocalDate[n];
    for (int i = 0; i < n; i++) {
      ImportRecord.Event e = (ImportRecord.Event) batch.get(i);
      country[i] = e.key().country();
      id[i] = e.key().nationalId();
      source[i] = e.source();
      ref[i] = e.externalRef();
      kind[i] = e.eventKind();
      occurred[i] = e.occurredOn();
      amount[i] = e.amount();
      late[i] = e.daysLate();
      proceeding[i] = e.proceedingKind();
      closed[i] = e.closedOn();
    }
    return Tuple.of(country, id, source, ref, kind, occurred, amount, late, proceeding)
        .addValue(closed);
  }
}
