package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.Identifiers;
import io.scoregate.company.InvalidIdentifierException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One member to add, update or remove, as a line of an upload or a single call says it, with the
 * field errors that keep it from being done. {@code company} and {@code exposure} are null for a
 * removal.
 */
record MemberLine(
    long line,
    String action,
    String reference,
    CompanyKey company,
    BigDecimal exposure,
    String currency,
    Integer paymentTermsDays,
    List<LineError> errors) {

  static final String UPSERT = "upsert";
  static final String REMOVE = "remove";

  /** The fields a line may have, as NDJSON keys or CSV header names. */
  static final Set<String> FIELDS =
      Set.of(
          "reference",
          "country",
          "id",
          "siren",
          "company",
          "exposure",
          "currency",
          "payment_terms_days",
          "action");

  private static final BigDecimal MAX_EXPOSURE = new BigDecimal("1000000000000000");

  /** A field that failed, named as the client sent it. */
  record LineError(String field, String code, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("code", code).put("message", message);
    }
  }

  boolean valid() {
    return errors.isEmpty();
  }

  /** The line's result without writing it: an error, or null when it may be written. */
  JsonObject errorResult() {
    JsonArray list = new JsonArray();
    errors.forEach(e -> list.add(e.toJson()));
    return result("error").put("errors", list);
  }

  JsonObject result(String status) {
    return new JsonObject().put("line", line).put("reference", reference).put("status", status);
  }

  /**
   * Reads one member from its fields: JSON values, or the strings of a CSV line (an empty cell is a
   * missing field). The company is {@code company: {country, id}}, or {@code country} and {@code
   * id}, or {@code siren} for France.
   */
  static MemberLine parse(long line, Map<String, ?> fields) {
    List<LineError> errors = new ArrayList<>(2);
    for (String key : fields.keySet()) {
      if (!FIELDS.contains(key)) {
        errors.add(new LineError(key, "unknown_field", "Unknown field '" + key + "'."));
      }
    }
    String action = text(fields.get("action"));
    if (action == null) {
      action = UPSERT;
    } else if (!action.equals(UPSERT) && !action.equals(REMOVE)) {
      errors.add(new LineError("action", "enum", "action must be upsert or remove."));
    }
    String reference = text(fields.get("reference"));
    if (reference == null) {
      errors.add(new LineError("reference", "required", "reference is required."));
    } else if (reference.length() > 100) {
      errors.add(new LineError("reference", "length", "reference has at most 100 characters."));
    }
    CompanyKey company = null;
    BigDecimal exposure = null;
    String currency = "EUR";
    Integer terms = null;
    if (!REMOVE.equals(action)) {
      company = company(fields, errors);
      exposure = exposure(fields.get("exposure"), errors);
      String asked = text(fields.get("currency"));
      if (asked != null && !asked.equals("EUR")) {
        errors.add(new LineError("currency", "unsupported", "Exposures are in EUR for now."));
      }
      terms = paymentTerms(fields.get("payment_terms_days"), errors);
    }
    return new MemberLine(
        line, action, reference, company, exposure, currency, terms, List.copyOf(errors));
  }

  private static CompanyKey company(Map<String, ?> fields, List<LineError> errors) {
    String country;
    String id;
    String field;
    if (fields.get("company") instanceof JsonObject nested) {
      country = text(nested.getValue("country"));
      id = text(nested.getValue("id"));
      field = "company.id";
    } else if (text(fields.get("siren")) != null) {
      country = "FR";
      id = text(fields.get("siren"));
      field = "siren";
    } else {
      country = text(fields.get("country"));
      id = text(fields.get("id"));
      field = "id";
    }
    if (country == null || id == null) {
      errors.add(
          new LineError(
              field,
              "required",
              "The company is required: siren, or country and id, or company {country, id}."));
      return null;
    }
    try {
      return Identifiers.parse(country.toUpperCase(java.util.Locale.ROOT), id);
    } catch (InvalidIdentifierException e) {
      errors.add(new LineError(field, e.code(), e.getMessage()));
      return null;
    }
  }

  private static BigDecimal exposure(Object value, List<LineError> errors) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      errors.add(new LineError("exposure", "required", "exposure (EUR) is required."));
      return null;
    }
    try {
      BigDecimal amount = new BigDecimal(value.toString().trim());
      if (amount.signum() < 0 || amount.compareTo(MAX_EXPOSURE) >= 0 || amount.scale() > 2) {
        errors.add(
            new LineError(
                "exposure",
                "range",
                "exposure must be from 0 to 10^15 EUR, with at most 2 decimals."));
        return null;
      }
      return amount;
    } catch (NumberFormatException e) {
      errors.add(new LineError("exposure", "type", "exposure must be a number."));
      return null;
    }
  }

  private static Integer paymentTerms(Object value, List<LineError> errors) {
    String text = text(value);
    if (text == null) {
      return null;
    }
    try {
      int days = Integer.parseInt(text);
      if (days < 0 || days > 3650) {
        throw new NumberFormatException();
      }
      return days;
    } catch (NumberFormatException e) {
      errors.add(
          new LineError(
              "payment_terms_days",
              "range",
              "payment_terms_days must be a whole number of days from 0 to 3650."));
      return null;
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    String s = value instanceof String str ? str.trim() : value.toString();
    return s.isEmpty() ? null : s;
  }
}
