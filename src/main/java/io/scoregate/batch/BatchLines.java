package io.scoregate.batch;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.scoregate.scoring.PolicyConfig;
import io.scoregate.scoring.ScoringRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads input lines into {@link BatchItem}s. A line names its company as the real-time API does
 * ({@code siren}, {@code siret}, {@code company {country, id}} or {@code {lei}}), or flat ({@code
 * country} and {@code id}, {@code lei}) as CSV columns must; in decision mode with {@code amount}
 * and {@code payment_term}; {@code reference} is the caller's own. The same validation as {@link
 * ScoringRequest} applies, and what it refuses is the line's error, not the batch's. Only a line
 * that is not a record (bad JSON or CSV, a wrong number of columns) is malformed.
 */
final class BatchLines {

  static final int MAX_REFERENCE = 200;

  private static final ObjectReader CSV =
      new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerFor(String[].class);

  private final String mode;
  private final PolicyConfig limits;
  private String[] header;

  BatchLines(String mode, PolicyConfig limits) {
    this.mode = mode;
    this.limits = limits;
  }

  /** An NDJSON line or a JSON item. */
  BatchItem json(int line, Object value, long physicalLine) {
    if (!(value instanceof JsonObject raw)) {
      throw new MalformedLineException(physicalLine, "Each item must be a JSON object.");
    }
    return item(line, raw);
  }

  BatchItem ndjson(int line, String text, long physicalLine) {
    try {
      return json(line, new JsonObject(text), physicalLine);
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedLineException(physicalLine, "Not a JSON object.");
    }
  }

  /**
   * A CSV line: the first one is the header (column names, any case), and then returns null. The
   * header must name the company (siren, siret, country and id, or lei) and, in decision mode,
   * amount and payment_term.
   */
  BatchItem csv(int line, String text, long physicalLine) {
    String[] fields = csvFields(text, physicalLine);
    if (header == null) {
      header = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        header[i] = fields[i].trim().toLowerCase(Locale.ROOT);
      }
      checkHeader(physicalLine);
      return null;
    }
    if (fields.length != header.length) {
      throw new MalformedLineException(
          physicalLine,
          "This line has " + fields.length + " columns; the header has " + header.length + ".");
    }
    JsonObject raw = new JsonObject();
    for (int i = 0; i < fields.length; i++) {
      String value = fields[i].trim();
      if (!value.isEmpty()) {
        raw.put(header[i], csvValue(header[i], value));
      }
    }
    return item(line, raw);
  }

  private void checkHeader(long physicalLine) {
    List<String> columns = List.of(header);
    boolean company =
        columns.contains("siren")
            || columns.contains("siret")
            || columns.contains("lei")
            || (columns.contains("country") && columns.contains("id"));
    if (!company) {
      throw new MalformedLineException(
          physicalLine,
          "The header must name the company: a siren, siret or lei column, or country and id.");
    }
    if ("decision".equals(mode)
        && (!columns.contains("amount") || !columns.contains("payment_term"))) {
      throw new MalformedLineException(
          physicalLine, "In decision mode the header needs amount and payment_term columns.");
    }
  }

  private static String[] csvFields(String text, long physicalLine) {
    if (text.indexOf('"') < 0) {
      // Nothing quoted: the fields are what lies between the commas (most identifier files).
      return text.split(",", -1);
    }
    try (MappingIterator<String[]> it = CSV.readValues(text)) {
      if (!it.hasNextValue()) {
        return new String[0];
      }
      String[] fields = it.nextValue();
      if (it.hasNextValue()) {
        throw new MalformedLineException(physicalLine, "One record per line.");
      }
      return fields;
    } catch (IOException | RuntimeException e) {
      if (e instanceof MalformedLineException m) {
        throw m;
      }
      throw new MalformedLineException(physicalLine, "Not a valid CSV record.");
    }
  }

  /** CSV holds text: numbers the JSON form would carry as numbers are read as such. */
  private static Object csvValue(String column, String value) {
    if (column.equals("amount")) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        return value;
      }
    }
    if (column.equals("payment_term")) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }

  private BatchItem item(int line, JsonObject raw) {
    JsonObject body = raw;
    if (raw.getValue("company") == null
        && (raw.containsKey("country") || raw.containsKey("id") || raw.containsKey("lei"))
        && raw.getValue("siren") == null
        && raw.getValue("siret") == null) {
      JsonObject company = new JsonObject();
      if (raw.getValue("lei") != null) {
        company.put("lei", raw.getValue("lei"));
      } else {
        company.put("country", raw.getValue("country")).put("id", raw.getValue("id"));
      }
      body = raw.copy().put("company", company);
    }
    List<FieldError> errors = new ArrayList<>(2);
    String reference = null;
    Object ref = raw.getValue("reference");
    if (ref instanceof String || ref instanceof Number) {
      reference = ref.toString();
      if (reference.length() > MAX_REFERENCE) {
        errors.add(
            new FieldError(
                "reference", "length", "reference has at most " + MAX_REFERENCE + " characters."));
        reference = reference.substring(0, MAX_REFERENCE);
      }
    } else if (ref != null) {
      errors.add(new FieldError("reference", "type", "reference must be a string."));
    }
    ScoringRequest.Company company;
    Double amount = null;
    Integer term = null;
    if ("decision".equals(mode)) {
      try {
        ScoringRequest request = ScoringRequest.parse(body, limits);
        company = new ScoringRequest.Company(request.key(), request.lei());
        amount = request.amount();
        term = request.paymentTerm();
      } catch (ValidationException e) {
        errors.addAll(e.errors());
        company = null;
      }
    } else {
      company = ScoringRequest.company(body, errors);
    }
    if (!errors.isEmpty()) {
      return new BatchItem(line, reference, null, null, null, null, null, invalid(errors));
    }
    return new BatchItem(
        line,
        reference,
        company.key() == null ? null : company.key().country(),
        company.key() == null ? null : company.key().nationalId(),
        company.lei(),
        amount,
        term,
        null);
  }

  /** A per-line error in the shape of the API's validation problem. */
  static String invalid(List<FieldError> errors) {
    JsonArray list = new JsonArray();
    for (FieldError e : errors) {
      list.add(
          new JsonObject()
              .put("field", e.field())
              .put("code", e.code())
              .put("detail", e.message()));
    }
    return new JsonObject()
        .put("type", "/problems/validation-error")
        .put("status", 422)
        .put(
            "detail",
            errors.size() == 1
                ? errors.get(0).message()
                : errors.size() + " fields are invalid: see errors.")
        .put("errors", list)
        .encode();
  }
}
