package io.scoregate.company;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Imports INSEE SIRENE {@code StockUniteLegale} CSV (the header as published: {@code siren}, {@code
 * denominationUniteLegale}, {@code categorieJuridiqueUniteLegale}, {@code
 * activitePrincipaleUniteLegale}, {@code dateCreationUniteLegale}, {@code
 * etatAdministratifUniteLegale}, {@code dateDebut}, ...; columns it does not use are ignored).
 * Companies are created or updated in batches (name, legal form, NAF code, creation date; their
 * region and LEI, which SIRENE's legal units do not carry, are kept). A company on file whose
 * administrative state changed ({@code C} = ceased, {@code A} = active) gets a {@code
 * status_changed} fact, re-scored like any other; a new company starts with its state.
 *
 * <p>Streamed on a thread of its own, one batch of rows in memory at a time.
 */
public final class SireneImport {

  public static final String SOURCE = "sirene";

  private static final String UPSERT_SQL =
      """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[],
                             $6::text[])
                 AS t(national_id, name, legal_form, sector, created_on, status)),
      before AS (
        SELECT c.national_id, c.status FROM companies c
        JOIN input i ON c.country = 'FR' AND c.national_id = i.national_id),
      upserted AS (
        INSERT INTO companies AS c (country, national_id, name, legal_form, sector, created_on,
                                    status)
        SELECT 'FR', national_id, name, legal_form, sector, created_on, status FROM input
        ON CONFLICT (country, national_id) DO UPDATE SET
          name = excluded.name, legal_form = excluded.legal_form, sector = excluded.sector,
          created_on = excluded.created_on, updated_at = now()
        WHERE (c.name, c.legal_form, c.sector, c.created_on)
              IS DISTINCT FROM (excluded.name, excluded.legal_form, excluded.sector,
                                excluded.created_on)
        RETURNING (xmax = 0) AS inserted)
      SELECT (SELECT count(*) FILTER (WHERE inserted) FROM upserted),
             (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted),
             ARRAY(SELECT b.national_id FROM before b JOIN input i USING (national_id)
                   WHERE i.status <> b.status)
      """;

  /** The most common legal forms (INSEE's categorie juridique, level III); others keep the code. */
  private static final Map<String, String> LEGAL_FORMS =
      Map.of(
          "5710", "SAS",
          "5720", "SASU",
          "5499", "SARL",
          "5498", "EURL",
          "5599", "SA",
          "5699", "SA",
          "6540", "SCI",
          "1000", "EI",
          "5202", "SNC",
          "5308", "SCA");

  private SireneImport() {}

  public static Future<OpenDataReport> run(
      SqlClient client, Path file, FactSink sink, int batchSize, int inFlight) {
    Promise<OpenDataReport> done = Promise.promise();
    Thread reader =
        new Thread(
            () -> {
              try {
                done.complete(read(client, file, sink, batchSize, inFlight));
              } catch (Exception | Error e) {
                done.fail(e);
              }
            },
            "scoregate-sirene-import");
    reader.setDaemon(true);
    reader.start();
    return done.future();
  }

  /** One legal unit of the file. */
  record Unit(
      String siren,
      String name,
      String legalForm,
      String sector,
      LocalDate createdOn,
      String status,
      LocalDate since) {}

  static OpenDataReport read(
      SqlClient client, Path file, FactSink sink, int batchSize, int inFlight)
      throws IOException, InterruptedException {
    OpenDataImport run = new OpenDataImport("SIRENE StockUniteLegale", sink, inFlight);
    CsvMapper csv = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    Map<String, Unit> batch = new LinkedHashMap<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> rows =
            csv.readerFor(Map.class).with(schema).readValues(in)) {
      long line = 1;
      while (rows.hasNextValue()) {
        Map<String, String> row = rows.nextValue();
        line++;
        run.read();
        try {
          Unit unit = unit(row);
          // One row per company in a batch: a later row of the same SIREN replaces it.
          batch.remove(unit.siren());
          batch.put(unit.siren(), unit);
        } catch (IllegalArgumentException | InvalidIdentifierException e) {
          run.reject("line " + line, e.getMessage());
        }
        if (batch.size() >= batchSize) {
          write(client, batch, run);
        }
      }
    }
    write(client, batch, run);
    return run.finish();
  }

  static Unit unit(Map<String, String> row) {
    String siren = Identifiers.parse("FR", required(row, "siren")).nationalId();
    String name = blankToNull(row.get("denominationUniteLegale"));
    if (name == null) {
      // A natural person: first name and name; "[ND]" when the unit is not for diffusion.
      String first = blankToNull(row.get("prenomUsuelUniteLegale"));
      if (first == null) {
        first = blankToNull(row.get("prenom1UniteLegale"));
      }
      String last = blankToNull(row.get("nomUsageUniteLegale"));
      if (last == null) {
        last = blankToNull(row.get("nomUniteLegale"));
      }
      name =
          last == null
              ? blankToNull(row.get("sigleUniteLegale"))
              : (first == null ? last : first + " " + last);
    }
    if (name == null) {
      name = "[ND]";
    }
    String state = blankToNull(row.get("etatAdministratifUniteLegale"));
    String status;
    if (state == null || state.equals("A")) {
      status = "active";
    } else if (state.equals("C")) {
      status = "ceased";
    } else {
      throw new IllegalArgumentException("etatAdministratifUniteLegale must be A or C");
    }
    String form = blankToNull(row.get("categorieJuridiqueUniteLegale"));
    return new Unit(
        siren,
        name,
        form == null ? null : LEGAL_FORMS.getOrDefault(form, form),
        blankToNull(row.get("activitePrincipaleUniteLegale")),
        date(row, "dateCreationUniteLegale"),
        status,
        date(row, "dateDebut"));
  }

  /** Writes the batch, waits for it (the back-pressure), and hands on the status changes. */
  private static void write(SqlClient client, Map<String, Unit> batch, OpenDataImport run)
      throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    int n = batch.size();
    String[] id = new String[n];
    String[] name = new String[n];
    String[] form = new String[n];
    String[] sector = new String[n];
    LocalDate[] created = new LocalDate[n];
    String[] status = new String[n];
    int i = 0;
    for (Unit u : batch.values()) {
      id[i] = u.siren();
      name[i] = u.name();
      form[i] = u.legalForm();
      sector[i] = u.sector();
      created[i] = u.createdOn();
      status[i] = u.status();
      i++;
    }
    Row result;
    try {
      result =
          client
              .preparedQuery(UPSERT_SQL)
              .execute(Tuple.of(id, name, form, sector, created, status))
              .map(rows -> rows.iterator().next())
              .toCompletionStage()
              .toCompletableFuture()
              .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "import stopped: Postgres refused a batch: " + e.getCause().getMessage(), e.getCause());
    }
    run.companies(result.getLong(0), result.getLong(1));
    List<String> changed = new ArrayList<>();
    for (String s : result.getArrayOfStrings(2)) {
      changed.add(s);
    }
    for (String siren : changed) {
      Unit u = batch.get(siren);
      run.fact(statusChange(u), "SIREN " + siren);
    }
    batch.clear();
  }

  /** The fact of a unit's new state; idempotent by SIREN, state and the date it began. */
  static CompanyEvent statusChange(Unit u) {
    LocalDate since = u.since() != null ? u.since() : LocalDate.now(java.time.ZoneOffset.UTC);
    String ref = u.siren() + ":" + u.status() + ":" + since;
    return new CompanyEvent(
        new CompanyKey("FR", u.siren()),
        SOURCE,
        ref,
        CompanyEvent.STATUS_CHANGED,
        since,
        null,
        null,
        null,
        null,
        null,
        null,
        u.status(),
        null,
        null,
        null,
        null,
        new JsonObject().put("status", u.status()).put("occurred_on", since.toString()));
  }

  private static String required(Map<String, String> row, String name) {
    String v = blankToNull(row.get(name));
    if (v == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static LocalDate date(Map<String, String> row, String name) {
    String v = blankToNull(row.get(name));
    try {
      return v == null ? null : LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD");
    }
  }
}
