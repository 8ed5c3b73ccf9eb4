package io.scoregate.company;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * One validated fact about a company, from the events API or an open-data import, before it is
 * stored. Idempotent by {@code (source, externalRef)}. Which optional fields are set depends on the
 * kind: a payment incident has an amount, days late and a due date; an insolvency proceeding has
 * its kind, court, and a {@code closedOn} when the event is its closing; filed accounts carry one
 * fiscal year's statement lines; a status change has the new status. {@code details} is the fact as
 * the API names its fields, kept with the row and handed to listeners.
 */
public record CompanyEvent(
    CompanyKey key,
    String source,
    String externalRef,
    String kind,
    LocalDate occurredOn,
    Double amount,
    Integer daysLate,
    LocalDate dueOn,
    String proceedingKind,
    String court,
    LocalDate closedOn,
    String status,
    Integer fiscalYear,
    LocalDate periodEnd,
    String currency,
    StatementLines lines,
    JsonObject details) {

  public static final String ACCOUNTS_FILED = "accounts_filed";
  public static final String PAYMENT_INCIDENT = "payment_incident";
  public static final String INSOLVENCY_PROCEEDING = "insolvency_proceeding";
  public static final String STATUS_CHANGED = "status_changed";

  /** An insolvency event that ends the company's open proceedings. */
  public boolean closesProceeding() {
    return INSOLVENCY_PROCEEDING.equals(kind) && closedOn != null;
  }
}
