package io.scoregate.company;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one event of the events API (a JSON object) into a {@link CompanyEvent}, naming every field
 * that is wrong. The company is {@code "siren"} or {@code "company": {"country", "id"}}; statement
 * lines of {@code accounts_filed} have the names of the statements import.
 */
public final class CompanyEvents {

  static final Set<String> KINDS =
      Set.of(
          CompanyEvent.ACCOUNTS_FILED,
          CompanyEvent.PAYMENT_INCIDENT,
          CompanyEvent.INSOLVENCY_PROCEEDING,
          CompanyEvent.STATUS_CHANGED);

  private static final int MAX_TEXT = 200;

  private CompanyEvents() {}

  /**
   * The event, or an {@link ValidationException} naming each bad field. {@code source} prefixes the
   * caller's own {@code "source"} (e.g. the tenant), so that two callers' references never meet.
   */
  public static CompanyEvent parse(JsonObject json, String sourcePrefix) {
    Reader r = new Reader(json);
    CompanyKey key = r.company();
    String source = r.text("source", false);
    String ref = r.text("external_ref", true);
    String kind = r.text("kind", true);
    if (kind != null && !KINDS.contains(kind)) {
      r.error(
          "kind",
          "invalid",
          "kind must be one of " + String.join(", ", KINDS.stream().sorted().toList()) + ".");
      kind = null;
    }
    LocalDate occurred = r.date("occurred_on");
    Double amount = null;
    Integer daysLate = null;
    LocalDate dueOn = null;
    String proceeding = null;
    String court = null;
    LocalDate closedOn = null;
    String status = null;
    Integer fiscalYear = null;
    LocalDate periodEnd = null;
    String currency = null;
    StatementLines lines = null;
    if (CompanyEvent.PAYMENT_INCIDENT.equals(kind)) {
      amount = r.number("amount", true);
      if (amount != null && amount < 0) {
        r.error("amount", "range", "amount must be >= 0.");
      }
      Double late = r.number("days_late", false);
      if (late != null) {
        if (late < 0 || late != Math.rint(late) || late > 100_000) {
          r.error("days_late", "range", "days_late must be a whole number of days >= 0.");
        } else {
          daysLate = late.intValue();
        }
      }
      dueOn = r.date("due_on");
      if (occurred == null) {
        occurred = dueOn != null && daysLate != null ? dueOn.plusDays(daysLate) : null;
      }
      if (occurred == null) {
        r.error("occurred_on", "required", "occurred_on is required (or due_on and days_late).");
      }
    } else if (CompanyEvent.INSOLVENCY_PROCEEDING.equals(kind)) {
      proceeding = r.text("proceeding_kind", true);
      if (proceeding != null && !ImportRecord.PROCEEDINGS.contains(proceeding)) {
        r.error(
            "proceeding_kind",
            "invalid",
            "proceeding_kind must be one of liquidation_judiciaire, redressement_judiciaire,"
                + " sauvegarde.");
      }
      court = r.text("court", false);
      LocalDate opened = r.date("opened_on");
      closedOn = r.date("closed_on");
      if (opened != null && closedOn != null && closedOn.isBefore(opened)) {
        r.error("closed_on", "range", "closed_on is before opened_on.");
      }
      if (occurred == null) {
        occurred = closedOn != null ? closedOn : opened;
      }
      if (occurred == null) {
        r.error("opened_on", "required", "opened_on (or closed_on for a closing) is required.");
      }
    } else if (CompanyEvent.STATUS_CHANGED.equals(kind)) {
      status = r.text("status", true);
      if (status != null && !status.equals("active") && !status.equals("ceased")) {
        r.error("status", "invalid", "status must be active or ceased.");
      }
      if (occurred == null) {
        r.error("occurred_on", "required", "occurred_on is required.");
      }
    } else if (CompanyEvent.ACCOUNTS_FILED.equals(kind)) {
      Double year = r.number("fiscal_year", true);
      if (year != null) {
        if (year != Math.rint(year) || year < 1900 || year > 2200) {
          r.error("fiscal_year", "range", "fiscal_year must be a year 1900..2200.");
        } else {
          fiscalYear = year.intValue();
        }
      }
      periodEnd = r.date("period_end");
      currency = r.text("currency", false);
      if (currency != null && !currency.matches("[A-Z]{3}")) {
        r.error("currency", "format", "currency must be an ISO 4217 code such as EUR.");
      }
      lines = r.lines(fiscalYear);
      LocalDate filed = r.date("filed_on");
      if (occurred == null) {
        occurred = filed != null ? filed : periodEnd;
      }
      if (occurred == null) {
        r.error("filed_on", "required", "filed_on (or period_end) is required.");
      }
    }
    if (!r.errors.isEmpty()) {
      throw new ValidationException(r.errors);
    }
    JsonObject details = json.copy();
    details.remove("siren");
    details.remove("company");
    return new CompanyEvent(
        key,
        source == null ? sourcePrefix : sourcePrefix + ":" + source,
        ref,
        kind,
        occurred,
        amount,
        daysLate,
        dueOn,
        proceeding,
        court,
        closedOn,
        status,
        fiscalYear,
        periodEnd,
        currency == null ? "EUR" : currency,
        lines,
        details);
  }

  /** Field reads that collect every error instead of stopping at the first. */
  private static final class Reader {
    final JsonObject json;
    final List<FieldError> errors = new ArrayList<>();

    Reader(JsonObject json) {
      this.json = json;
    }

    void error(String field, String code, String message) {
      errors.add(new FieldError(field, code, message));
    }

    CompanyKey company() {
      Object siren = json.getValue("siren");
      Object company = json.getValue("company");
      try {
        if (siren instanceof String s) {
          return Identifiers.parse("FR", s);
        }
        if (company instanceof JsonObject c
            && c.getValue("country") instanceof String country
            && c.getValue("id") instanceof String id) {
          return Identifiers.parse(country.toUpperCase(Locale.ROOT), id);
        }
      } catch (InvalidIdentifierException e) {
        error(siren != null ? "siren" : "company.id", e.code(), e.getMessage());
        return null;
      }
      error("company", "required", "company {\"country\", \"id\"} or siren is required.");
      return null;
    }

    String text(String field, boolean required) {
      Object v = json.getValue(field);
      if (v == null || (v instanceof String s && s.isBlank())) {
        if (required) {
          error(field, "required", field + " is required.");
        }
        return null;
      }
      if (!(v instanceof String s)) {
        error(field, "type", field + " must be a string.");
        return null;
      }
      if (s.length() > MAX_TEXT) {
        error(field, "length", field + " is longer than " + MAX_TEXT + " characters.");
        return null;
      }
      return s.trim();
    }

    LocalDate date(String field) {
      String s = text(field, false);
      try {
        return s == null ? null : LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        error(field, "format", field + " must be a date YYYY-MM-DD.");
        return null;
      }
    }

    Double number(String field, boolean required) {
      Object v = json.getValue(field);
      if (v == null) {
        if (required) {
          error(field, "required", field + " is required.");
        }
        return null;
      }
      if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        error(field, "type", field + " must be a number.");
        return null;
      }
      if (Math.abs(n.doubleValue()) >= 1e18) {
        error(field, "range", field + " is out of range.");
        return null;
      }
      return n.doubleValue();
    }

    /** The statement lines, checked by the statements import's own rules. */
    StatementLines lines(Integer fiscalYear) {
      Object v = json.getValue("lines");
      if (!(v instanceof JsonObject lines) || lines.isEmpty()) {
        error("lines", "required", "lines (an object of statement lines) is required.");
        return null;
      }
      Map<String, String> fields = new HashMap<>();
      for (Map.Entry<String, Object> e : lines) {
        if (!CompanyRepository.LINE_COLUMNS.contains(e.getKey())) {
          error("lines." + e.getKey(), "unknown", "no statement line is named " + e.getKey() + ".");
        } else if (e.getValue() != null && !(e.getValue() instanceof Number)) {
          error("lines." + e.getKey(), "type", "lines." + e.getKey() + " must be a number.");
        } else if (e.getValue() != null) {
          fields.put(e.getKey(), e.getValue().toString());
        }
      }
      if (fiscalYear == null || !errors.isEmpty()) {
        return null;
      }
      try {
        return ImportRecord.lines(fiscalYear, fields);
      } catch (IllegalArgumentException e) {
        String field = e.getMessage() == null ? "lines" : "lines." + e.getMessage().split(" ")[0];
        error(field, "invalid", e.getMessage());
        return null;
      }
    }
  }
}
