package io.scoregate.monitoring;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One streamed member upload: reads CSV (a header line, then one member per line) or NDJSON (one
 * JSON object per line) from the request as it arrives, writes it by batches of {@code
 * uploadBatchLines} in a transaction each, and streams one result per line back as NDJSON, then a
 * summary line. The request is paused while a batch is written and while the answer cannot keep up,
 * so memory stays flat whatever the size. A line holds no newline (quoted newlines are refused as
 * two broken lines).
 */
final class MemberUpload {

  /** The longest line accepted, in bytes. */
  static final int MAX_LINE_BYTES = 8192;

  private static final CsvMapper CSV = new CsvMapper();

  enum Format {
    CSV,
    NDJSON
  }

  private final Vertx vertx;
  private final MemberWriter writer;
  private final PortfolioConfig config;
  private final String tenantId;
  private final UUID portfolioId;
  private final Format format;
  private final WriteStream<Buffer> out;
  private final Promise<JsonObject> done = Promise.promise();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private List<MemberLine> batch = new ArrayList<>();
  private RecordParser parser;
  private String[] header;
  private long physicalLine;
  private long members;
  private boolean ended;
  private boolean finished;
  private boolean stopping;

  MemberUpload(
      Vertx vertx,
      MemberWriter writer,
      PortfolioConfig config,
      String tenantId,
      UUID portfolioId,
      Format format,
      WriteStream<Buffer> out) {
    this.vertx = vertx;
    this.writer = writer;
    this.config = config;
    this.tenantId = tenantId;
    this.portfolioId = portfolioId;
    this.format = format;
    this.out = out;
    for (String status : List.of("added", "updated", "removed", "error")) {
      counts.put(status, 0);
    }
  }

  /** Reads the whole of {@code in}; completes with the summary once it is written to the answer. */
  Future<JsonObject> run(ReadStream<Buffer> in) {
    long timer =
        vertx.setTimer(
            config.uploadTimeoutMs(),
            id ->
                finish(
                    "timeout", "The upload took longer than " + config.uploadTimeoutMs() + " ms."));
    parser = RecordParser.newDelimited("\n", in).maxRecordSize(MAX_LINE_BYTES);
    parser.exceptionHandler(e -> finish("line_too_long_or_broken", lineProblem(e)));
    parser.endHandler(
        v -> {
          ended = true;
          flush().onSuccess(x -> finish(null, null));
        });
    parser.handler(this::line);
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static String lineProblem(Throwable e) {
    return e instanceof IllegalStateException
        ? "A line is longer than " + MAX_LINE_BYTES + " bytes."
        : "The upload could not be read.";
  }

  private void line(Buffer raw) {
    if (finished || stopping) {
      return;
    }
    physicalLine++;
    String text = raw.toString(StandardCharsets.UTF_8);
    if (physicalLine == 1 && text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isBlank()) {
      return;
    }
    if (format == Format.CSV && header == null) {
      header = readHeader(text);
      return;
    }
    if (members == config.uploadMaxLines()) {
      stopping = true;
      parser.pause();
      flush()
          .onSuccess(
              v ->
                  finish(
                      "too_many_lines",
                      "An upload holds at most " + config.uploadMaxLines() + " members."));
      return;
    }
    members++;
    batch.add(parse(physicalLine, text));
    if (batch.size() >= config.uploadBatchLines()) {
      flush();
    }
  }

  private String[] readHeader(String text) {
    String[] names = csvFields(text);
    for (int i = 0; i < names.length; i++) {
      names[i] = names[i] == null ? "" : names[i].trim();
    }
    return names;
  }

  private MemberLine parse(long lineNo, String text) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (format == Format.NDJSON) {
      try {
        JsonObject json = new JsonObject(text);
        json.forEach(e -> fields.put(e.getKey(), e.getValue()));
      } catch (DecodeException | ClassCastException e) {
        return broken(lineNo, "The line is not a JSON object.");
      }
    } else {
      String[] values = csvFields(text);
      if (values == null || values.length != header.length) {
        return broken(lineNo, "The line has not the header's " + header.length + " fields.");
      }
      for (int i = 0; i < header.length; i++) {
        fields.put(header[i], values[i]);
      }
    }
    return MemberLine.parse(lineNo, fields);
  }

  private static MemberLine broken(long lineNo, String message) {
    return new MemberLine(
        lineNo,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(new MemberLine.LineError("line", "malformed", message)));
  }

  /** The fields of one CSV line by the kept parser (quotes, escaped quotes); null if broken. */
  private static String[] csvFields(String text) {
    try (MappingIterator<String[]> it =
        CSV.readerForArrayOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(text)) {
      return it.hasNext() ? it.next() : new String[0];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Writes the pending batch with the request paused; resumes once the answer can take more. */
  private Future<Void> flush() {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    List<MemberLine> lines = batch;
    batch = new ArrayList<>();
    parser.pause();
    return writer
        .write(tenantId, portfolioId, lines)
        .compose(this::emit)
        .onSuccess(
            v -> {
              if (!ended && !finished && !stopping) {
                parser.resume();
              }
            })
        .onFailure(e -> finish("write_failed", "The members could not be written; retry."));
  }

  private Future<Void> emit(List<JsonObject> results) {
    if (finished) {
      return Future.succeededFuture();
    }
    Buffer chunk = Buffer.buffer(results.size() * 80);
    for (JsonObject r : results) {
      counts.merge(r.getString("status"), 1, Integer::sum);
      chunk.appendBuffer(r.toBuffer()).appendByte((byte) '\n');
    }
    Future<Void> written = out.write(chunk);
    if (!out.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    out.drainHandler(v -> drained.tryComplete());
    return written.compose(v -> drained.future());
  }

  /** The summary line, and the end of the answer; {@code code} says why it stopped early. */
  private void finish(String code, String message) {
    if (finished) {
      return;
    }
    finished = true;
    JsonObject summary = new JsonObject().put("lines", members);
    counts.forEach(summary::put);
    if (code != null) {
      summary.put("stopped", new JsonObject().put("code", code).put("message", message));
      parser.pause();
    }
    JsonObject last = new JsonObject().put("summary", summary);
    out.end(last.toBuffer().appendByte((byte) '\n')).onComplete(ar -> done.complete(summary));
  }
}
