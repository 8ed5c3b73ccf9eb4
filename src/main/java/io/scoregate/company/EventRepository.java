package io.scoregate.company;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores facts about companies ({@code company_events}) and what each fact changes on file: filed
 * accounts become the statement of their fiscal year, a closing ends the open proceedings, a status
 * change sets the company's status. Every method runs on the caller's connection, so a fact and its
 * effects commit (or roll back) together with whatever the caller does next.
 */
public final class EventRepository {

  /** A stored fact: its id and when it was recorded; {@code duplicate} for a replay. */
  public record Stored(long eventId, Instant recordedAt, boolean duplicate) {}

  private static final String LOCK_COMPANIES_SQL =
      """
      SELECT id, country, national_id FROM companies
      WHERE (country, national_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
      ORDER BY id FOR NO KEY UPDATE
      """;

  private static final String INSERT_ALL_SQL =
      """
      INSERT INTO company_events (company_id, kind, occurred_on, amount, days_late,
                                  proceeding_kind, closed_on, source, external_ref, status, court,
                                  due_on, fiscal_year, details)
      SELECT c, k, o, a, l, p, cl, s, r, st, co, du, fy, d::jsonb
      FROM unnest($1::bigint[], $2::text[], $3::date[], $4::float8[], $5::int[], $6::text[],
                  $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::date[],
                  $13::int[], $14::text[]) AS u(c, k, o, a, l, p, cl, s, r, st, co, du, fy, d)
      ON CONFLICT (source, external_ref) DO NOTHING
      RETURNING id, recorded_at, source, external_ref
      """;

  private static final String EXISTING_ALL_SQL =
      """
      SELECT id, recorded_at, source, external_ref FROM company_events
      WHERE (source, external_ref) IN (SELECT * FROM unnest($1::text[], $2::text[]))
      """;

  private static final String CLOSE_SQL =
      """
      UPDATE company_events SET closed_on = $2
      WHERE company_id = $1 AND kind = 'insolvency_proceeding' AND closed_on IS NULL
        AND occurred_on <= $2
      """;

  private static final String STATUS_SQL =
      """
      UPDATE companies c SET status = u.status, updated_at = now()
      FROM unnest($1::bigint[], $2::text[]) AS u(id, status)
      WHERE c.id = u.id AND c.status <> u.status
      """;

  private final SqlClient client;

  public EventRepository(SqlClient client) {
    this.client = client;
  }

  /**
   * The ids of the companies on file among {@code keys}, locked in id order (so that transactions
   * locking several companies cannot deadlock) until the transaction ends.
   */
  public Future<Map<CompanyKey, Long>> lockCompanies(List<CompanyKey> keys) {
    String[] countries = new String[keys.size()];
    String[] ids = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      countries[i] = keys.get(i).country();
      ids[i] = keys.get(i).nationalId();
    }
    return client
        .preparedQuery(LOCK_COMPANIES_SQL)
        .execute(Tuple.from(new Object[] {countries, ids}))
        .map(
            rows -> {
              Map<CompanyKey, Long> out = new HashMap<>();
              for (Row row : rows) {
                out.put(new CompanyKey(row.getString(1), row.getString(2)), row.getLong(0));
              }
              return out;
            });
  }

  /**
   * Stores the facts, each about the company of the same index in {@code companyIds}, in one
   * statement, and applies the effects of those that are new; a replay of a stored fact (or of one
   * earlier in the list) changes nothing. The results are in the facts' order.
   */
  public Future<List<Stored>> storeAll(List<Long> companyIds, List<CompanyEvent> events) {
    int n = events.size();
    Long[] companies = companyIds.toArray(new Long[0]);
    String[] kinds = new String[n];
    LocalDate[] occurred = new LocalDate[n];
    Double[] amounts = new Double[n];
    Integer[] daysLate = new Integer[n];
    String[] proceedings = new String[n];
    LocalDate[] closed = new LocalDate[n];
    String[] sources = new String[n];
    String[] refs = new String[n];
    String[] statuses = new String[n];
    String[] courts = new String[n];
    LocalDate[] due = new LocalDate[n];
    Integer[] years = new Integer[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      CompanyEvent e = events.get(i);
      kinds[i] = e.kind();
      occurred[i] = e.occurredOn();
      amounts[i] = e.amount();
      daysLate[i] = e.daysLate();
      proceedings[i] = e.proceedingKind();
      closed[i] = e.closedOn();
      sources[i] = e.source();
      refs[i] = e.externalRef();
      statuses[i] = e.status();
      courts[i] = e.court();
      due[i] = e.dueOn();
      years[i] = e.fiscalYear();
      details[i] = e.details() == null ? null : e.details().encode();
    }
    Tuple params =
        Tuple.from(
            new Object[] {
              companies,
              kinds,
              occurred,
              amounts,
              daysLate,
              proceedings,
              closed,
              sources,
              refs,
              statuses,
              courts,
              due,
              years,
              details
            });
    return client
        .preparedQuery(INSERT_ALL_SQL)
        .execute(params)
        .compose(
            rows -> {
              Map<String, Stored> inserted = new HashMap<>();
              for (Row row : rows) {
                inserted.put(refKey(row), stored(row, false));
              }
              if (inserted.size() == n) {
                return Future.succeededFuture(inserted);
              }
              return client
                  .preparedQuery(EXISTING_ALL_SQL)
                  .execute(Tuple.from(new Object[] {sources, refs}))
                  .map(
                      existing -> {
                        Map<String, Stored> all = new HashMap<>();
                        for (Row row : existing) {
                          all.put(refKey(row), stored(row, true));
                        }
                        all.putAll(inserted);
                        return all;
                      });
            })
        .compose(
            byRef -> {
              List<Stored> out = new ArrayList<>(n);
              Set<String> seen = new HashSet<>();
              for (CompanyEvent e : events) {
                String key = refKey(e.source(), e.externalRef());
                Stored s = byRef.get(key);
                // the second of two equal facts in one list is a replay of the first
                out.add(seen.add(key) ? s : new Stored(s.eventId(), s.recordedAt(), true));
              }
              // Status changes in one statement, the last of each company's winning; the other
              // effects in the facts' order (a closing after its opening). They touch different
              // tables, so the status statement may come last.
              Map<Long, String> newStatuses = new LinkedHashMap<>();
              Future<Void> chain = Future.succeededFuture();
              for (int i = 0; i < n; i++) {
                if (out.get(i).duplicate()) {
                  continue;
                }
                long companyId = companies[i];
                CompanyEvent e = events.get(i);
                if (CompanyEvent.STATUS_CHANGED.equals(e.kind())) {
                  newStatuses.put(companyId, e.status());
                } else {
                  chain = chain.compose(v -> effects(companyId, e));
                }
              }
              return chain.compose(v -> setStatuses(newStatuses)).map(out);
            });
  }

  private static String refKey(Row row) {
    return refKey(row.getString("source"), row.getString("external_ref"));
  }

  private static String refKey(String source, String externalRef) {
    return source + '\u0000' + externalRef;
  }

  private Future<Void> setStatuses(Map<Long, String> statuses) {
    if (statuses.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = statuses.keySet().toArray(new Long[0]);
    String[] values = statuses.values().toArray(new String[0]);
    return client
        .preparedQuery(STATUS_SQL)
        .execute(Tuple.from(new Object[] {ids, values}))
        .mapEmpty();
  }

  private Future<Void> effects(long companyId, CompanyEvent e) {
    if (e.closesProceeding()) {
      return client.preparedQuery(CLOSE_SQL).execute(Tuple.of(companyId, e.closedOn())).mapEmpty();
    }
    if (CompanyEvent.ACCOUNTS_FILED.equals(e.kind())) {
      ImportRecord statement =
          new ImportRecord.Statement(e.key(), e.periodEnd(), e.currency(), e.lines());
      return new ImportWriter(client)
          .write(ImportRecord.Kind.STATEMENTS, List.of(statement))
          .mapEmpty();
    }
    return Future.succeededFuture();
  }

  private static Stored stored(Row row, boolean duplicate) {
    return new Stored(
        row.getLong("id"), row.getOffsetDateTime("recorded_at").toInstant(), duplicate);
  }
}
