package io.scoregate.company;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;

/**
 * Stores facts about companies ({@code company_events}) and what each fact changes on file: filed
 * accounts become the statement of their fiscal year, a closing ends the open proceedings, a status
 * change sets the company's status. Every method runs on the caller's connection, so a fact and its
 * effects commit (or roll back) together with whatever the caller does next.
 */
public final class EventRepository {

  /** A stored fact: its id and when it was recorded; {@code duplicate} for a replay. */
  public record Stored(long eventId, Instant recordedAt, boolean duplicate) {}

  private static final String LOCK_COMPANY_SQL =
      "SELECT id FROM companies WHERE country = $1 AND national_id = $2 FOR NO KEY UPDATE";

  private static final String INSERT_SQL =
      """
      INSERT INTO company_events (company_id, kind, occurred_on, amount, days_late,
                                  proceeding_kind, closed_on, source, external_ref, status, court,
                                  due_on, fiscal_year, details)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
      ON CONFLICT (source, external_ref) DO NOTHING
      RETURNING id, recorded_at
      """;

  private static final String EXISTING_SQL =
      "SELECT id, recorded_at FROM company_events WHERE source = $1 AND external_ref = $2";

  private static final String CLOSE_SQL =
      """
      UPDATE company_events SET closed_on = $2
      WHERE company_id = $1 AND kind = 'insolvency_proceeding' AND closed_on IS NULL
        AND occurred_on <= $2
      """;

  private static final String STATUS_SQL =
      "UPDATE companies SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2";

  private final SqlClient client;

  public EventRepository(SqlClient client) {
    this.client = client;
  }

  /**
   * The id of the company, locked until the transaction ends so that two facts about one company
   * are applied and re-scored one after the other; null when the company is not on file.
   */
  public Future<Long> lockCompany(CompanyKey key) {
    return client
        .preparedQuery(LOCK_COMPANY_SQL)
        .execute(Tuple.of(key.country(), key.nationalId()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
  }

  /** Stores the fact and applies its effects; a replay of a stored fact changes nothing. */
  public Future<Stored> store(long companyId, CompanyEvent e) {
    Tuple params =
        Tuple.of(
                companyId,
                e.kind(),
                e.occurredOn(),
                e.amount(),
                e.daysLate(),
                e.proceedingKind(),
                e.closedOn(),
                e.source(),
                e.externalRef(),
                e.status())
            .addValue(e.court())
            .addValue(e.dueOn())
            .addValue(e.fiscalYear())
            .addValue(e.details() == null ? null : e.details());
    return client
        .preparedQuery(INSERT_SQL)
        .execute(params)
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return client
                    .preparedQuery(EXISTING_SQL)
                    .execute(Tuple.of(e.source(), e.externalRef()))
                    .map(existing -> stored(existing.iterator().next(), true));
              }
              Stored stored = stored(rows.iterator().next(), false);
              return effects(companyId, e).map(stored);
            });
  }

  private Future<Void> effects(long companyId, CompanyEvent e) {
    if (e.closesProceeding()) {
      return client.preparedQuery(CLOSE_SQL).execute(Tuple.of(companyId, e.closedOn())).mapEmpty();
    }
    if (CompanyEvent.STATUS_CHANGED.equals(e.kind())) {
      return client.preparedQuery(STATUS_SQL).execute(Tuple.of(companyId, e.status())).mapEmpty();
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
