package io.scoregate.batch;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.scoregate.edge.IdempotencyService;
import io.scoregate.edge.QuotaHandler;
import io.scoregate.edge.Tenant;
import io.scoregate.edge.Tenants;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.JsonBodies;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The batch endpoints: submit (a JSON body, a CSV or NDJSON upload read as a stream, or a
 * portfolio), status, list, cancel, results (pages, or the whole as NDJSON or CSV, streamed).
 */
public final class BatchRoutes {

  static final String PATH = "/api/v1/batches";
  private static final int MAX_RECORD_BYTES = 64 * 1024;
  private static final ObjectWriter CSV =
      new CsvMapper()
          .enable(
              com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
          .writerFor(String[].class);
  private static final String[] CSV_HEADER = {
    "line",
    "reference",
    "status",
    "country",
    "id",
    "name",
    "score",
    "pd",
    "risk_level",
    "recommendation",
    "max_amount",
    "max_payment_term",
    "decision_id",
    "reasons",
    "error_type",
    "error_detail"
  };

  private final BatchService batches;
  private final boolean quotas;
  private final Clock clock;
  private final ContractBodies contract;

  public BatchRoutes(BatchService batches, boolean quotas, Clock clock, ContractBodies contract) {
    this.batches = batches;
    this.quotas = quotas;
    this.clock = clock;
    this.contract = contract;
  }

  /**
   * Submissions read their body themselves, as a stream, with the batch limits and timeout: the
   * router's body handler and request timeout are skipped for them.
   */
  public static boolean streamed(HttpServerRequest request) {
    String path = request.path();
    return (request.method() == HttpMethod.POST && PATH.equals(path))
        || (request.method() == HttpMethod.GET
            && path.startsWith(PATH + "/")
            && path.endsWith("/results"));
  }

  public void mount(Router router) {
    // Paths relative to /api/v1, whose guards (authentication, quota) run first.
    router.post("/batches").handler(this::submit);
    router.get("/batches").handler(this::list);
    router.get("/batches/:id").handler(this::get);
    router.delete("/batches/:id").handler(this::cancel);
    router.get("/batches/:id/results").handler(this::results);
  }

  private void submit(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = mediaType(request.getHeader("Content-Type"));
    String tenantId = RequestContext.from(ctx).tenantId();
    Tenant tenant = quotas ? Tenants.caller(ctx).tenant() : null;
    String key = request.getHeader(IdempotencyService.HEADER);
    String requestId = RequestContext.from(ctx).requestId();
    long timer =
        ctx.vertx()
            .setTimer(
                batches.config().uploadTimeoutMs(),
                id ->
                    fail(
                        ctx,
                        ProblemException.unavailable(
                            "The submission took longer than the service allows; send it again.",
                            null)));
    ctx.addEndHandler(ignored -> ctx.vertx().cancelTimer(timer));
    Future<BatchUpload> read =
        switch (type) {
          case "text/csv" ->
              stream(request, batches.open(tenantId, mode(ctx), "csv", null, requestId));
          case "application/x-ndjson", "application/ndjson", "application/jsonl" ->
              stream(request, batches.open(tenantId, mode(ctx), "ndjson", null, requestId));
          case "application/json" -> json(request, tenantId, requestId);
          default -> {
            request.resume();
            throw new ProblemException(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                "Send the batch as application/json, text/csv or application/x-ndjson.");
          }
        };
    read.compose(upload -> batches.submit(upload, tenant, key))
        .compose(answer -> withQuota(ctx, tenant).map(answer))
        .onSuccess(
            answer ->
                ctx.response()
                    .setStatusCode(202)
                    .putHeader("Location", PATH + "/" + new JsonObject(answer).getString("id"))
                    .putHeader("Content-Type", "application/json")
                    .end(answer))
        .onFailure(e -> withQuota(ctx, tenant).onComplete(ignored -> fail(ctx, e)));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (!ctx.response().ended() && !ctx.failed()) {
      ctx.fail(e);
    }
  }

  private Future<Void> withQuota(RoutingContext ctx, Tenant tenant) {
    if (tenant == null) {
      return Future.succeededFuture();
    }
    return batches
        .standing(tenant)
        .onSuccess(q -> QuotaHandler.headers(ctx.response().headers(), q, clock.millis()))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  private static String mode(RoutingContext ctx) {
    String mode = ctx.queryParams().get("mode");
    return mode == null ? "score" : mode;
  }

  /** Reads an upload line by line, pausing the client while a group of lines is written. */
  private static Future<BatchUpload> stream(HttpServerRequest request, BatchUpload upload) {
    io.vertx.core.Promise<BatchUpload> read = io.vertx.core.Promise.promise();
    RecordParser lines = RecordParser.newDelimited("\n", request).maxRecordSize(MAX_RECORD_BYTES);
    lines.handler(
        line -> {
          Future<Void> wait = upload.line(line.toString(java.nio.charset.StandardCharsets.UTF_8));
          if (wait != null) {
            lines.pause();
            wait.onSuccess(v -> lines.resume()).onFailure(read::tryFail);
          }
        });
    lines.exceptionHandler(
        e ->
            read.tryFail(
                e instanceof IllegalStateException
                    ? ProblemException.badRequest(
                        "A line is longer than " + MAX_RECORD_BYTES + " bytes: not a batch line.")
                    : e));
    lines.endHandler(v -> read.tryComplete(upload));
    // A client that goes away mid-upload leaves nothing behind.
    request
        .connection()
        .closeHandler(v -> read.tryFail(ProblemException.badRequest("The upload was cut.")));
    request.resume();
    return read.future();
  }

  /** A JSON body, bounded by batch.maxJsonBodyBytes: items, or a portfolio. */
  private Future<BatchUpload> json(HttpServerRequest request, String tenantId, String requestId) {
    io.vertx.core.Promise<Buffer> body = io.vertx.core.Promise.promise();
    Buffer received = Buffer.buffer();
    long max = batches.config().maxJsonBodyBytes();
    request.handler(
        chunk -> {
          if (received.length() + chunk.length() > max) {
            body.tryFail(
                new ProblemException(
                    413,
                    "payload-too-large",
                    "Payload too large",
                    "A JSON batch has at most "
                        + max
                        + " bytes; upload larger ones as text/csv or application/x-ndjson."));
          } else {
            received.appendBuffer(chunk);
          }
        });
    request.endHandler(v -> body.tryComplete(received));
    request.exceptionHandler(body::tryFail);
    request.resume();
    return body.future().compose(buffer -> items(buffer, tenantId, requestId));
  }

  private Future<BatchUpload> items(Buffer buffer, String tenantId, String requestId) {
    JsonObject body;
    try {
      body = new JsonObject(buffer);
    } catch (DecodeException | ClassCastException e) {
      throw ProblemException.badRequest("The request body is not a valid JSON object.");
    }
    contract.check("submitBatch", body);
    Object mode = body.getValue("mode", "score");
    if (!(mode instanceof String m)) {
      throw invalid("mode", "type", "mode is \"score\" or \"decision\".");
    }
    Object portfolio = body.getValue("portfolio_id");
    Object items = body.getValue("items");
    if (portfolio != null && items != null) {
      throw invalid("items", "exclusive", "Send items or portfolio_id, not both.");
    }
    if (portfolio != null) {
      UUID id = uuid(portfolio);
      if (id == null) {
        throw invalid("portfolio_id", "format", "portfolio_id must be a portfolio's id (a UUID).");
      }
      BatchUpload upload = batches.open(tenantId, m, "portfolio", id, requestId);
      upload.hashed(IdempotencyService.hash(body));
      return batches.readPortfolio(upload).map(upload);
    }
    if (!(items instanceof JsonArray list)) {
      throw invalid("items", "required", "items is required: a list of companies to score.");
    }
    BatchUpload upload = batches.open(tenantId, m, "json", null, requestId);
    upload.hashed(IdempotencyService.hash(body));
    Future<Void> written = Future.succeededFuture();
    for (Object item : list) {
      Future<Void> wait = upload.item(item);
      if (wait != null) {
        written = wait;
      }
    }
    return written.map(upload);
  }

  private void get(RoutingContext ctx) {
    find(ctx).onSuccess(batch -> JsonBodies.ok(ctx, batches.json(batch))).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    UUID id = uuid(ctx.pathParam("id"));
    if (id == null) {
      throw ProblemException.notFound("No such batch.");
    }
    batches
        .cancel(RequestContext.from(ctx).tenantId(), id)
        .onSuccess(batch -> JsonBodies.ok(ctx, batches.json(batch)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = limit(ctx);
    String before = ctx.queryParams().get("before");
    Instant beforeCreated = null;
    UUID beforeId = null;
    if (before != null) {
      String[] parts = before.split("_", 2);
      try {
        beforeCreated = Instant.parse(parts[0]);
        beforeId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        throw invalid("before", "format", "before is the next cursor of a previous page.");
      }
    }
    batches
        .list(RequestContext.from(ctx).tenantId(), beforeCreated, beforeId, limit)
        .onSuccess(
            page -> {
              JsonObject answer = new JsonObject().put("items", batches.json(page));
              if (page.size() == limit) {
                BatchView last = page.get(page.size() - 1);
                answer.put(
                    "next",
                    PATH + "?limit=" + limit + "&before=" + last.createdAt() + "_" + last.id());
              }
              JsonBodies.ok(ctx, answer);
            })
        .onFailure(ctx::fail);
  }

  private void results(RoutingContext ctx) {
    ctx.request().resume();
    String format = format(ctx);
    if (format.equals("ndjson") || format.equals("csv")) {
      find(ctx).onSuccess(batch -> download(ctx, batch, format)).onFailure(ctx::fail);
      return;
    }
    int limit = limit(ctx);
    int after = after(ctx);
    find(ctx)
        .compose(
            batch -> batches.results(batch, after, limit).map(page -> page(batch, page, limit)))
        .onSuccess(answer -> JsonBodies.ok(ctx, answer))
        .onFailure(ctx::fail);
  }

  private JsonObject page(BatchView batch, List<BatchRepository.StoredResult> page, int limit) {
    JsonArray items = new JsonArray();
    page.forEach(r -> items.add(new JsonObject(ndjson(r))));
    JsonObject answer = new JsonObject().put("items", items);
    if (page.size() == limit) {
      answer.put(
          "next",
          PATH
              + "/"
              + batch.id()
              + "/results?limit="
              + limit
              + "&after="
              + page.get(page.size() - 1).line());
    }
    return answer;
  }

  /** The whole result set, page by page from Postgres, written as the client reads it. */
  private void download(RoutingContext ctx, BatchView batch, String format) {
    HttpServerResponse response = ctx.response();
    int pageSize = batches.config().maxPageSize();
    batches
        .results(batch, 0, pageSize)
        .onFailure(ctx::fail)
        .onSuccess(
            first -> {
              response
                  .setChunked(true)
                  .putHeader(
                      "Content-Type",
                      format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson")
                  .putHeader(
                      "Content-Disposition",
                      "attachment; filename=\"batch-" + batch.id() + "." + format + "\"");
              if (format.equals("csv")) {
                response.write(csv(CSV_HEADER));
              }
              write(ctx, batch, format, first, pageSize);
            });
  }

  private void write(
      RoutingContext ctx,
      BatchView batch,
      String format,
      List<BatchRepository.StoredResult> page,
      int pageSize) {
    HttpServerResponse response = ctx.response();
    Buffer out = Buffer.buffer(page.size() * 512);
    for (BatchRepository.StoredResult r : page) {
      out.appendString(format.equals("csv") ? csv(r) : ndjson(r)).appendByte((byte) '\n');
    }
    response.write(out);
    if (page.size() < pageSize) {
      response.end();
      return;
    }
    int after = page.get(page.size() - 1).line();
    Runnable next =
        () ->
            batches
                .results(batch, after, pageSize)
                .onSuccess(more -> write(ctx, batch, format, more, pageSize))
                .onFailure(e -> response.reset());
    if (response.writeQueueFull()) {
      response.drainHandler(v -> next.run());
    } else {
      next.run();
    }
  }

  /** One result line: the real-time API's answer as stored, without decoding it again. */
  static String ndjson(BatchRepository.StoredResult r) {
    return "{\"line\":"
        + r.line()
        + ",\"reference\":"
        + Json.encode(r.reference())
        + ",\"status\":\""
        + (r.ok() ? "ok\",\"result\":" : "error\",\"error\":")
        + r.json()
        + "}";
  }

  private static String csv(BatchRepository.StoredResult r) {
    JsonObject json = new JsonObject(r.json());
    JsonObject company = json.getJsonObject("company", new JsonObject());
    StringBuilder reasons = new StringBuilder();
    JsonArray list = json.getJsonArray("reasons", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      reasons.append(i == 0 ? "" : "|").append(list.getJsonObject(i).getString("code"));
    }
    String[] row = {
      Integer.toString(r.line()),
      r.reference(),
      r.ok() ? "ok" : "error",
      company.getString("country"),
      company.getString("id"),
      company.getString("name"),
      text(json.getValue("score")),
      text(json.getValue("pd")),
      json.getString("risk_level"),
      json.getString("recommendation"),
      text(json.getValue("max_amount")),
      text(json.getValue("max_payment_term")),
      json.getString("decision_id"),
      reasons.toString(),
      r.ok() ? null : json.getString("type"),
      r.ok() ? null : json.getString("detail")
    };
    String line = csv(row);
    return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }

  private static String csv(String[] row) {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        row[i] = ""; // a null would drop the column, not leave it empty
      }
    }
    try {
      return CSV.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private Future<BatchView> find(RoutingContext ctx) {
    UUID id = uuid(ctx.pathParam("id"));
    if (id == null) {
      return Future.failedFuture(ProblemException.notFound("No such batch."));
    }
    return batches.find(RequestContext.from(ctx).tenantId(), id);
  }

  /** ?format= first, then Accept: ndjson, csv, or json (pages). */
  private static String format(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null) {
      format = format.toLowerCase(Locale.ROOT);
      if (!List.of("json", "ndjson", "csv").contains(format)) {
        throw invalid("format", "enum", "format is json, ndjson or csv.");
      }
      return format;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept != null) {
      if (accept.contains("text/csv")) {
        return "csv";
      }
      if (accept.contains("ndjson")) {
        return "ndjson";
      }
    }
    return "json";
  }

  private int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return batches.config().pageSize();
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= batches.config().maxPageSize()) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(
        "limit", "range", "limit is between 1 and " + batches.config().maxPageSize() + ".");
  }

  private static int after(RoutingContext ctx) {
    String raw = ctx.queryParams().get("after");
    if (raw == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(raw));
    } catch (NumberFormatException e) {
      throw invalid("after", "format", "after is a line number (the next link of a page).");
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static UUID uuid(Object raw) {
    if (!(raw instanceof String s)) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ProblemException invalid(String field, String code, String message) {
    return new ValidationException(List.of(new FieldError(field, code, message)));
  }
}
