package io.scoregate.company;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Imports BODACC "annonces commerciales" (the DILA open dataset, as its JSON export, an array of
 * records, or as NDJSON, one record per line; records of the older export with their fields under
 * {@code "fields"} too). Announcements of the {@code collective} family become insolvency facts:
 * the proceeding's kind and date from {@code jugement} (a JSON object, or a string holding one),
 * the company from {@code registre} (SIREN with or without spaces), the announcement {@code id} as
 * external reference, the {@code tribunal} as court. An opening (or a conversion into liquidation)
 * opens a proceeding; a closing ends the company's open ones. Other families, and judgements that
 * neither open nor close a proceeding (a plan, a list of claims), are counted and skipped.
 *
 * <p>The file is streamed on a thread of its own: one record in memory at a time, and at most
 * {@code inFlight} facts waiting for Postgres.
 */
public final class BodaccImport {

  public static final String SOURCE = "bodacc";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BodaccImport() {}

  public static Future<OpenDataReport> run(Path file, FactSink sink, int inFlight) {
    Promise<OpenDataReport> done = Promise.promise();
    Thread reader =
        new Thread(
            () -> {
              try {
                done.complete(read(file, sink, inFlight));
              } catch (Exception | Error e) {
                done.fail(e);
              }
            },
            "scoregate-bodacc-import");
    reader.setDaemon(true);
    reader.start();
    return done.future();
  }

  static OpenDataReport read(Path file, FactSink sink, int inFlight)
      throws IOException, InterruptedException {
    OpenDataImport run = new OpenDataImport("BODACC", sink, inFlight);
    try (InputStream in = Files.newInputStream(file);
        // An array's elements, or one root value after the other (NDJSON): the same iterator.
        MappingIterator<JsonNode> records = JSON.readerFor(JsonNode.class).readValues(in)) {
      long n = 0;
      while (records.hasNextValue()) {
        JsonNode record = records.nextValue();
        n++;
        run.read();
        JsonNode fields = record.path("fields").isObject() ? record.get("fields") : record;
        String where = "record " + n;
        String family = text(fields, "familleavis");
        if (!"collective".equals(family)) {
          run.skip("family " + (family == null ? "(none)" : family));
          continue;
        }
        try {
          CompanyEvent event = event(fields);
          if (event == null) {
            run.skip("collective judgement that opens or closes no proceeding");
          } else {
            run.fact(event, where + " (" + event.externalRef() + ")");
          }
        } catch (IllegalArgumentException | InvalidIdentifierException e) {
          run.reject(where, e.getMessage());
        }
      }
    }
    return run.finish();
  }

  /** The insolvency fact of a collective announcement; null for a judgement that is neither. */
  static CompanyEvent event(JsonNode f) {
    String id = text(f, "id");
    if (id == null) {
      throw new IllegalArgumentException("no id");
    }
    CompanyKey key = Identifiers.parse("FR", siren(f.get("registre")));
    JsonNode jugement = f.get("jugement");
    if (jugement != null && jugement.isTextual()) {
      try {
        jugement = JSON.readTree(jugement.asText());
      } catch (IOException e) {
        throw new IllegalArgumentException("jugement is not JSON");
      }
    }
    if (jugement == null || !jugement.isObject()) {
      throw new IllegalArgumentException("no jugement");
    }
    String nature = text(jugement, "nature");
    if (nature == null) {
      throw new IllegalArgumentException("jugement without nature");
    }
    LocalDate date = date(text(jugement, "date"));
    if (date == null) {
      date = date(text(f, "dateparution"));
    }
    if (date == null) {
      throw new IllegalArgumentException("no date in jugement nor dateparution");
    }
    String plain = plain(nature);
    boolean closing = plain.contains("cloture");
    boolean opening =
        plain.contains("ouverture")
            || plain.contains("conversion")
            || plain.contains("prononcant la liquidation");
    if (!closing && !opening) {
      return null;
    }
    String kind =
        plain.contains("liquidation") || plain.contains("insuffisance d'actif")
            ? "liquidation_judiciaire"
            : plain.contains("redressement")
                ? "redressement_judiciaire"
                : plain.contains("sauvegarde")
                    ? "sauvegarde"
                    : closing ? "liquidation_judiciaire" : null;
    if (kind == null) {
      return null;
    }
    String court = text(f, "tribunal");
    JsonObject details =
        new JsonObject()
            .put("proceeding_kind", kind)
            .put("court", court)
            .put("bodacc_id", id)
            .put("nature", nature)
            .put(closing ? "closed_on" : "opened_on", date.toString());
    return new CompanyEvent(
        key,
        SOURCE,
        id,
        CompanyEvent.INSOLVENCY_PROCEEDING,
        date,
        null,
        null,
        null,
        kind,
        court,
        closing ? date : null,
        null,
        null,
        null,
        null,
        null,
        details);
  }

  /** The first SIREN of {@code registre}: an array of strings or one string, spaces or not. */
  static String siren(JsonNode registre) {
    String first = null;
    if (registre != null && registre.isArray() && !registre.isEmpty()) {
      first = registre.get(0).asText();
    } else if (registre != null && registre.isTextual()) {
      first = registre.asText().split(",")[0];
    }
    if (first == null || first.isBlank()) {
      throw new IllegalArgumentException("no registre (SIREN)");
    }
    return first.replace(" ", "").replace("\u00a0", "").trim();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
  }

  private static LocalDate date(String text) {
    try {
      return text == null
          ? null
          : LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Lower case without accents: "Jugement de clôture" -> "jugement de cloture". */
  private static String plain(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .replace('’', '\'')
        .toLowerCase(Locale.ROOT);
  }
}
