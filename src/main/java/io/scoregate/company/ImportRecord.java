package io.scoregate.company;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One validated record of an import file: a company, a statement or an event. Built from the named
 * fields of a CSV row or an NDJSON object; anything invalid is an {@link IllegalArgumentException}
 * whose message says which field and why.
 */
sealed interface ImportRecord {

  Set<String> PROCEEDINGS =
      Set.of("sauvegarde", "redressement_judiciaire", "liquidation_judiciaire");
  Set<String> EVENT_KINDS = Set.of("payment_incident", "insolvency_proceeding", "accounts_filed");

  /** Import kinds, as named on the command line and in the NDJSON "type" field. */
  enum Kind {
    COMPANIES("company"),
    STATEMENTS("statement"),
    EVENTS("event");

    final String type;

    Kind(String type) {
      this.type = type;
    }

    static Kind parse(String name) {
      for (Kind k : values()) {
        if (k.type.equals(name) || k.name().equalsIgnoreCase(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown kind '" + name + "' (companies, statements, events)");
    }

    /** From the fields present, for files that do not say their kind. */
    static Kind guess(Set<String> fields) {
      if (fields.contains("fiscal_year")) {
        return STATEMENTS;
      }
      if (fields.contains("external_ref") || fields.contains("occurred_on")) {
        return EVENTS;
      }
      return COMPANIES;
    }
  }

  Kind kind();

  CompanyKey key();

  /** What makes the record unique in its table: a later record with it replaces this one. */
  Object identity();

  record Company(
      CompanyKey key,
      String name,
      String legalForm,
      String sector,
      String region,
      LocalDate createdOn,
      String status,
      String lei)
      implements ImportRecord {
    @Override
    public Kind kind() {
      return Kind.COMPANIES;
    }

    @Override
    public Object identity() {
      return key;
    }
  }

  record Statement(CompanyKey key, LocalDate periodEnd, String currency, StatementLines lines)
      implements ImportRecord {
    @Override
    public Kind kind() {
      return Kind.STATEMENTS;
    }

    @Override
    public Object identity() {
      return java.util.List.of(key, lines.fiscalYear());
    }
  }

  record Event(
      CompanyKey key,
      String source,
      String externalRef,
      String eventKind,
      LocalDate occurredOn,
      Double amount,
      Integer daysLate,
      String proceedingKind,
      LocalDate closedOn)
      implements ImportRecord {
    @Override
    public Kind kind() {
      return Kind.EVENTS;
    }

    @Override
    public Object identity() {
      return java.util.List.of(source, externalRef);
    }
  }

  static ImportRecord of(Kind kind, Map<String, String> f) {
    CompanyKey key = Identifiers.parse(required(f, "country"), required(f, "national_id"));
    return switch (kind) {
      case COMPANIES -> {
        String status = f.getOrDefault("status", "");
        status = status.isBlank() ? "active" : status.trim().toLowerCase(Locale.ROOT);
        if (!status.equals("active") && !status.equals("ceased")) {
          throw new IllegalArgumentException("status must be active or ceased");
        }
        String lei = blankToNull(f.get("lei"));
        yield new Company(
            key,
            required(f, "name"),
            blankToNull(f.get("legal_form")),
            blankToNull(f.get("sector")),
            blankToNull(f.get("region")),
            date(f, "created_on"),
            status,
            lei == null ? null : Identifiers.parseLei(lei));
      }
      case STATEMENTS -> {
        int year = Integer.parseInt(required(f, "fiscal_year").trim());
        if (year < 1900 || year > 2200) {
          throw new IllegalArgumentException("fiscal_year out of range");
        }
        String currency = blankToNull(f.get("currency"));
        yield new Statement(
            key,
            date(f, "period_end"),
            currency == null ? "EUR" : currency.toUpperCase(Locale.ROOT),
            lines(year, f));
      }
      case EVENTS -> {
        String eventKind = required(f, "kind");
        if (!EVENT_KINDS.contains(eventKind)) {
          throw new IllegalArgumentException("kind must be one of " + EVENT_KINDS);
        }
        String proceeding = blankToNull(f.get("proceeding_kind"));
        if (eventKind.equals("insolvency_proceeding")
            && (proceeding == null || !PROCEEDINGS.contains(proceeding))) {
          throw new IllegalArgumentException("proceeding_kind must be one of " + PROCEEDINGS);
        }
        double amount = amount(f, "amount");
        String daysLate = blankToNull(f.get("days_late"));
        Integer late = daysLate == null ? null : Integer.valueOf(daysLate.trim());
        if (late != null && late < 0) {
          throw new IllegalArgumentException("days_late must be >= 0");
        }
        String source = blankToNull(f.get("source"));
        LocalDate occurred = date(f, "occurred_on");
        if (occurred == null) {
          throw new IllegalArgumentException("occurred_on is required");
        }
        yield new Event(
            key,
            source == null ? "import" : source,
            required(f, "external_ref"),
            eventKind,
            occurred,
            Double.isNaN(amount) ? null : amount,
            late,
            proceeding,
            date(f, "closed_on"));
      }
    };
  }

  /** The statement lines named in {@code f}; an absent line stays not filed (NaN). */
  static StatementLines lines(int year, Map<String, String> f) {
    double[] v = new double[CompanyRepository.LINE_COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = amount(f, CompanyRepository.LINE_COLUMNS.get(i));
    }
    return CompanyRepository.lines(year, v);
  }

  private static String required(Map<String, String> f, String name) {
    String v = f.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v.trim();
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static LocalDate date(Map<String, String> f, String name) {
    String v = blankToNull(f.get(name));
    try {
      return v == null ? null : LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD");
    }
  }

  private static double amount(Map<String, String> f, String name) {
    String v = blankToNull(f.get(name));
    if (v == null) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || Math.abs(d) >= 1e18) {
        throw new IllegalArgumentException(name + " is out of range");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }
}
