package io.scoregate.monitoring;

import io.scoregate.company.CompanyEvent;
import io.scoregate.company.CompanyEvents;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.edge.Caller;
import io.scoregate.edge.Tenants;
import io.scoregate.http.JsonBodies;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/events}: facts from data providers, one JSON event or up to {@code
 * monitoring.maxEventsPerCall} NDJSON lines, under the {@code events:write} scope. Each line gets
 * its own result (accepted, duplicate, or a problem naming the field); one bad line never rejects
 * the others.
 */
public final class EventRoutes {

  public static final String SCOPE = "events:write";
  public static final String PATH = "/events";
  static final String NDJSON = "application/x-ndjson";

  private final FactService facts;
  private final MonitoringConfig config;

  public EventRoutes(FactService facts, MonitoringConfig config) {
    this.facts = facts;
    this.config = config;
  }

  /** On the {@code /api/v1} router, whose builder gives {@link #PATH} its own body limit. */
  public void mount(Router router) {
    router.post(PATH).consumes("application/json").handler(this::one);
    router.post(PATH).consumes(NDJSON).handler(this::many);
  }

  private void one(RoutingContext ctx) {
    String source = authorize(ctx);
    CompanyEvent event = CompanyEvents.parse(JsonBodies.object(ctx), source);
    facts
        .ingest(event)
        .onSuccess(
            outcome ->
                JsonBodies.send(ctx, outcome.duplicate() ? 200 : 201, result(outcome, event)))
        .onFailure(
            e ->
                ctx.fail(
                    e instanceof UnknownCompanyException
                        ? new ProblemException(
                            422, "unknown-company", "Unknown company", e.getMessage())
                        : e));
  }

  private void many(RoutingContext ctx) {
    String source = authorize(ctx);
    List<Line> lines = lines(ctx.body().buffer());
    List<Future<JsonObject>> pending = new ArrayList<>(lines.size());
    List<CompanyEvent> events = new ArrayList<>(lines.size());
    List<Line> parsed = new ArrayList<>(lines.size());
    List<Integer> at = new ArrayList<>(lines.size());
    for (Line line : lines) {
      try {
        events.add(line.parse(source));
        parsed.add(line);
        at.add(pending.size());
        pending.add(null);
      } catch (RuntimeException invalid) {
        pending.add(Future.failedFuture(invalid));
      }
    }
    // Lines about one company apply in their order (an opening before its closing): the fact
    // service keeps the order in which they are handed to it. All the call's facts are handed
    // over at once, so they queue together.
    List<Future<FactService.Outcome>> outcomes = facts.ingestAll(events);
    for (int i = 0; i < outcomes.size(); i++) {
      Line line = parsed.get(i);
      CompanyEvent event = events.get(i);
      pending.set(
          at.get(i),
          outcomes.get(i).map(outcome -> result(outcome, event).put("line", line.number())));
    }
    Future.join(pending)
        .transform(ignored -> Future.succeededFuture(pending))
        .onSuccess(
            results -> {
              JsonArray items = new JsonArray();
              int accepted = 0;
              int duplicates = 0;
              int problems = 0;
              for (int i = 0; i < results.size(); i++) {
                Future<JsonObject> r = results.get(i);
                JsonObject item =
                    r.succeeded()
                        ? r.result()
                        : problem(r.cause()).put("line", lines.get(i).number);
                switch (item.getString("result")) {
                  case "accepted" -> accepted++;
                  case "duplicate" -> duplicates++;
                  default -> problems++;
                }
                items.add(item);
              }
              JsonBodies.ok(
                  ctx,
                  new JsonObject()
                      .put("accepted", accepted)
                      .put("duplicates", duplicates)
                      .put("problems", problems)
                      .put("results", items));
            })
        .onFailure(ctx::fail);
  }

  /** The source prefix of this caller's events: its tenant. */
  private static String authorize(RoutingContext ctx) {
    Caller caller = Tenants.caller(ctx);
    if (!caller.scopes().contains(SCOPE) && !"anonymous".equals(caller.tenant().id())) {
      throw new ProblemException(
          403,
          "insufficient-scope",
          "Insufficient scope",
          "This credential lacks the '" + SCOPE + "' scope.");
    }
    return caller.tenant().id();
  }

  /** One NDJSON line and its number in the body (blank lines count, as an editor shows them). */
  private record Line(long number, String text) {
    /** The line's event; a validation problem names the fields. */
    CompanyEvent parse(String source) {
      try {
        return CompanyEvents.parse(new JsonObject(text), source);
      } catch (DecodeException | ClassCastException e) {
        throw ProblemException.badRequest("The line is not a JSON object.");
      }
    }
  }

  private List<Line> lines(Buffer body) {
    List<Line> lines = new ArrayList<>();
    if (body == null) {
      return lines;
    }
    String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
    long number = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      number++;
      String line = text.substring(start, end).strip();
      if (!line.isEmpty()) {
        if (lines.size() == config.maxEventsPerCall()) {
          throw new ProblemException(
              413,
              "too-many-events",
              "Too many events",
              "One call takes at most " + config.maxEventsPerCall() + " events; split the file.");
        }
        lines.add(new Line(number, line));
      }
      start = end + 1;
    }
    if (lines.isEmpty()) {
      throw ProblemException.badRequest("The body holds no event; send one JSON object per line.");
    }
    return lines;
  }

  private static JsonObject result(FactService.Outcome outcome, CompanyEvent event) {
    JsonObject result =
        new JsonObject()
            .put("result", outcome.duplicate() ? "duplicate" : "accepted")
            .put("event_id", outcome.eventId())
            .put("external_ref", event.externalRef())
            .put(
                "company",
                new JsonObject()
                    .put("country", event.key().country())
                    .put("id", event.key().nationalId()));
    ScoreChange change = outcome.change();
    if (change != null) {
      result.put(
          "score",
          new JsonObject()
              .put("before", change.before() == null ? null : change.before().score())
              .put("after", change.after().score())
              .put("risk_level", change.after().riskLevel()));
    }
    return result;
  }

  /** A line's failure as its result: the problem's type and, for validation, the fields. */
  private static JsonObject problem(Throwable e) {
    JsonObject item = new JsonObject().put("result", "problem");
    if (e instanceof ValidationException invalid) {
      JsonArray errors = new JsonArray();
      invalid
          .errors()
          .forEach(
              f ->
                  errors.add(
                      new JsonObject()
                          .put("field", f.field())
                          .put("code", f.code())
                          .put("message", f.message())));
      return item.put("type", invalid.type()).put("detail", invalid.detail()).put("errors", errors);
    }
    if (e instanceof UnknownCompanyException) {
      return item.put("type", "unknown-company")
          .put("detail", e.getMessage())
          .put(
              "errors",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("field", "company")
                          .put("code", "unknown_company")
                          .put("message", e.getMessage())));
    }
    if (e instanceof ProblemException p) {
      return item.put("type", p.type()).put("detail", p.detail());
    }
    // Not the client's fault (Postgres, the model): the line can be sent again as it is.
    return item.put("type", "service-unavailable")
        .put("detail", "This event was not stored; send it again later.");
  }
}
