package io.scoregate.company;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Imports companies, statements and events from CSV (a header row of column names) or NDJSON (one
 * JSON object per line; a {@code "type"} of company, statement or event when kinds are mixed).
 *
 * <p>The file is streamed: a worker thread reads it record by record and hands batches to Postgres,
 * waiting for each batch before reading on, so memory stays flat whatever the file's size. The
 * import is idempotent (upserts that rewrite only what differs) and a bad row is counted and
 * reported by line number without stopping the rest.
 */
public final class ImportCommand {

  private static final int MAX_ERRORS = 20;

  /** Each CSV record as its list of cells, the header included; blank lines are skipped. */
  private static final ObjectReader CSV_ROWS =
      new CsvMapper()
          .readerForListOf(String.class)
          .with(CsvSchema.emptySchema())
          .with(CsvParser.Feature.WRAP_AS_ARRAY)
          .with(CsvParser.Feature.SKIP_EMPTY_LINES);

  private ImportCommand() {}

  /**
   * Imports {@code file}; {@code kind} is companies, statements, events, or null to tell from the
   * file name, the header or each record.
   */
  public static Future<ImportReport> run(SqlClient client, Path file, String kind, int batchSize) {
    // A long file keeps its reader busy for minutes: a thread of its own, not a Vert.x worker.
    Promise<ImportReport> done = Promise.promise();
    Thread reader =
        new Thread(
            () -> {
              try {
                done.complete(new Run(new ImportWriter(client), batchSize).read(file, kind));
              } catch (Exception | Error e) {
                done.fail(e);
              }
            },
            "scoregate-import");
    reader.setDaemon(true);
    reader.start();
    return done.future();
  }

  /** One import: its batches and counts. Lives on one worker thread. */
  private static final class Run {
    private final ImportWriter writer;
    private final int batchSize;
    private final Map<ImportRecord.Kind, Batch> batches = new EnumMap<>(ImportRecord.Kind.class);
    private final Map<ImportRecord.Kind, long[]> counts = new EnumMap<>(ImportRecord.Kind.class);
    private final List<String> errors = new ArrayList<>();

    /** Records waiting to be written, with their line numbers; one per key. */
    private static final class Batch {
      final List<ImportRecord> records = new ArrayList<>();
      final List<Long> lines = new ArrayList<>();
      final Set<Object> keys = new HashSet<>();
    }

    Run(ImportWriter writer, int batchSize) {
      this.writer = writer;
      this.batchSize = batchSize;
      for (ImportRecord.Kind k : ImportRecord.Kind.values()) {
        batches.put(k, new Batch());
        counts.put(k, new long[5]); // read, inserted, updated, unchanged, rejected
      }
    }

    ImportReport read(Path file, String kindName) throws IOException, InterruptedException {
      long start = System.nanoTime();
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean ndjson =
          name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json");
      ImportRecord.Kind fixed =
          kindName != null ? ImportRecord.Kind.parse(kindName) : fromName(name);
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        if (ndjson) {
          readNdjson(in, fixed);
        } else {
          readCsv(in, fixed);
        }
      }
      for (ImportRecord.Kind k : ImportRecord.Kind.values()) {
        flush(k);
      }
      Map<String, ImportReport.Counts> report = new LinkedHashMap<>();
      counts.forEach(
          (k, c) -> {
            if (c[0] > 0) {
              report.put(
                  k.name().toLowerCase(Locale.ROOT),
                  new ImportReport.Counts(c[0], c[1], c[2], c[0] - c[1] - c[2] - c[4], c[4]));
            }
          });
      return new ImportReport(
          report, List.copyOf(errors), Duration.ofNanos(System.nanoTime() - start));
    }

    private void readNdjson(BufferedReader in, ImportRecord.Kind fixed)
        throws IOException, InterruptedException {
      String line;
      long lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        ImportRecord.Kind kind = fixed;
        Map<String, String> fields = new HashMap<>();
        try {
          JsonObject json = new JsonObject(line);
          for (Map.Entry<String, Object> e : json) {
            fields.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString());
          }
          kind =
              fixed != null
                  ? fixed
                  : json.getString("type") != null
                      ? ImportRecord.Kind.parse(json.getString("type"))
                      : ImportRecord.Kind.guess(fields.keySet());
        } catch (IllegalArgumentException | DecodeException e) {
          unreadable(kind, lineNumber, e.getMessage());
          continue;
        }
        accept(kind, fields, lineNumber);
      }
    }

    /**
     * RFC 4180 through jackson-dataformat-csv: a quoted field may hold commas, doubled quotes and
     * line breaks, so a record may span lines; it is reported by the line it starts on.
     */
    private void readCsv(BufferedReader in, ImportRecord.Kind fixed)
        throws IOException, InterruptedException {
      List<String> header = null;
      ImportRecord.Kind kind = fixed;
      try (MappingIterator<List<String>> rows = CSV_ROWS.readValues(in)) {
        long lineNumber = 1;
        while (true) {
          List<String> cells;
          try {
            if (!rows.hasNextValue()) {
              break;
            }
            lineNumber = rows.getParser().currentLocation().getLineNr();
            cells = rows.nextValue();
          } catch (JsonProcessingException e) {
            // An unterminated quote runs to the end of the file: nothing after it can be read.
            unreadable(kind, lineNumber, "unreadable CSV: " + e.getOriginalMessage());
            break;
          }
          if (header == null) {
            header = new ArrayList<>();
            for (String h : cells) {
              header.add(h.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT));
            }
            if (kind == null) {
              kind = ImportRecord.Kind.guess(new HashSet<>(header));
            }
            continue;
          }
          if (cells.size() != header.size()) {
            unreadable(
                kind, lineNumber, cells.size() + " columns where the header has " + header.size());
            continue;
          }
          Map<String, String> fields = new HashMap<>();
          for (int i = 0; i < cells.size(); i++) {
            fields.put(header.get(i), cells.get(i));
          }
          accept(kind, fields, lineNumber);
        }
      }
    }

    private static ImportRecord.Kind fromName(String name) {
      if (name.contains("statement")) {
        return ImportRecord.Kind.STATEMENTS;
      }
      if (name.contains("event")) {
        return ImportRecord.Kind.EVENTS;
      }
      if (name.contains("compan")) {
        return ImportRecord.Kind.COMPANIES;
      }
      return null;
    }

    private void add(ImportRecord record, long lineNumber) throws InterruptedException {
      ImportRecord.Kind kind = record.kind();
      Batch batch = batches.get(kind);
      Object key = record.identity();
      // A key twice in one batch would be upserted twice by one statement: write the first first.
      if (batch.keys.contains(key)) {
        flush(kind);
      }
      batch.records.add(record);
      batch.lines.add(lineNumber);
      batch.keys.add(key);
      if (batch.records.size() >= batchSize) {
        flush(kind);
      }
    }

    /** Writes a batch and waits for it: the back-pressure that keeps memory flat. */
    private void flush(ImportRecord.Kind kind) throws InterruptedException {
      Batch batch = batches.get(kind);
      if (batch.records.isEmpty()) {
        return;
      }
      if (kind != ImportRecord.Kind.COMPANIES) {
        flush(ImportRecord.Kind.COMPANIES); // companies first: the others refer to them
      }
      try {
        ImportWriter.Result result =
            writer.write(kind, batch.records).toCompletionStage().toCompletableFuture().get();
        long[] c = counts.get(kind);
        c[1] += result.inserted();
        c[2] += result.updated();
        for (int position : result.unmatched()) {
          reject(
              kind,
              batch.lines.get(position),
              "no company " + batch.records.get(position).key() + " on file");
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "import stopped: Postgres refused a batch: " + e.getCause().getMessage(), e.getCause());
      }
      batch.records.clear();
      batch.lines.clear();
      batch.keys.clear();
    }

    /** A record read as fields: counted, then added or rejected. */
    private void accept(ImportRecord.Kind kind, Map<String, String> fields, long lineNumber)
        throws InterruptedException {
      counts.get(kind)[0]++;
      try {
        add(ImportRecord.of(kind, fields), lineNumber);
      } catch (IllegalArgumentException | InvalidIdentifierException e) {
        reject(kind, lineNumber, e.getMessage());
      }
    }

    /**
     * A record that cannot be read as fields; one whose kind cannot be told counts as a company.
     */
    private void unreadable(ImportRecord.Kind kind, long lineNumber, String why) {
      ImportRecord.Kind counted = kind == null ? ImportRecord.Kind.COMPANIES : kind;
      counts.get(counted)[0]++;
      reject(counted, lineNumber, why);
    }

    private void reject(ImportRecord.Kind kind, long lineNumber, String why) {
      counts.get(kind)[4]++;
      if (errors.size() < MAX_ERRORS) {
        errors.add("line " + lineNumber + ": " + why);
      }
    }
  }
}
