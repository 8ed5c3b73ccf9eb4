package io.scoregate.monitoring;

import io.scoregate.edge.Caller;
import io.scoregate.edge.ScopeGuard;
import io.scoregate.edge.Tenants;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.JsonBodies;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The portfolio monitoring API under {@code /api/v1/portfolios}: portfolios, members (one by one or
 * by streamed upload), alert rules and their history, alerts, movers. Every route needs the {@value
 * #SCOPE} scope and answers 404 for a portfolio of another tenant.
 */
public final class MonitoringRoutes {

  public static final String SCOPE = "portfolios";

  private final Handler<RoutingContext> scope = ScopeGuard.require(SCOPE);
  private static final String BASE = "/portfolios";

  private final PortfolioService service;
  private final MemberWriter writer;
  private final PortfolioConfig config;
  private final ContractBodies contract;

  public MonitoringRoutes(
      PortfolioService service,
      CreditTerms terms,
      AlertEvaluator evaluator,
      io.vertx.sqlclient.Pool pool,
      java.time.Clock clock,
      PortfolioConfig config,
      ContractBodies contract) {
    this.service = service;
    this.writer = new MemberWriter(pool, clock, terms, evaluator);
    this.config = config;
    this.contract = contract;
  }

  /**
   * Every route checks the scope first (the sub-router's guard only knows "scoring"), then a JSON
   * body is checked against the contract.
   */
  public void mount(Router router) {
    router
        .post(BASE)
        .handler(scope)
        .handler(contract.body("createPortfolio"))
        .handler(this::create);
    router.get(BASE).handler(scope).handler(this::list);
    router.get(BASE + "/:id").handler(scope).handler(this::get);
    router
        .patch(BASE + "/:id")
        .handler(scope)
        .handler(contract.body("renamePortfolio"))
        .handler(this::rename);
    router.delete(BASE + "/:id").handler(scope).handler(this::delete);
    router.post(BASE + "/:id/members/upload").handler(scope).handler(this::upload);
    router.get(BASE + "/:id/members").handler(scope).handler(this::members);
    router
        .put(BASE + "/:id/members/:reference")
        .handler(scope)
        .handler(contract.body("putMember"))
        .handler(this::putMember);
    router.delete(BASE + "/:id/members/:reference").handler(scope).handler(this::removeMember);
    router.get(BASE + "/:id/rules").handler(scope).handler(this::rules);
    router.get(BASE + "/:id/rules/history").handler(scope).handler(this::ruleHistory);
    router
        .patch(BASE + "/:id/rules/:rule")
        .handler(scope)
        .handler(contract.body("changeRule"))
        .handler(this::changeRule);
    router.get(BASE + "/:id/alerts").handler(scope).handler(this::alerts);
    router
        .post(BASE + "/:id/alerts/:alert/acknowledge")
        .handler(scope)
        .handler(contract.body("acknowledgeAlert"))
        .handler(ctx -> move(ctx, "acknowledged"));
    router
        .post(BASE + "/:id/alerts/:alert/resolve")
        .handler(scope)
        .handler(contract.body("resolveAlert"))
        .handler(ctx -> move(ctx, "resolved"));
    router.get(BASE + "/:id/movers").handler(scope).handler(this::movers);
  }

  private void create(RoutingContext ctx) {
    String name = name(JsonBodies.object(ctx));
    Caller caller = Tenants.caller(ctx);
    answer(ctx, 201, service.create(caller.tenant().id(), name, caller.credentialId()));
  }

  private void list(RoutingContext ctx) {
    int limit = limit(ctx);
    String[] cursor = cursor(ctx, "after", 2);
    service
        .list(
            tenant(ctx),
            cursor == null ? null : Instant.parse(cursor[0]),
            cursor == null ? null : UUID.fromString(cursor[1]),
            limit)
        .onSuccess(
            items ->
                page(
                    ctx,
                    items,
                    limit,
                    last -> encode(last.getString("created_at"), last.getString("id"))))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    answer(ctx, 200, service.get(tenant(ctx), id(ctx)));
  }

  private void rename(RoutingContext ctx) {
    String name = name(JsonBodies.object(ctx));
    answer(ctx, 200, service.rename(tenant(ctx), id(ctx), name));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Tenants.caller(ctx);
    service
        .delete(caller.tenant().id(), id(ctx), caller.credentialId())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader("Content-Type");
    MemberUpload.Format format;
    if (type != null && type.startsWith("text/csv")) {
      format = MemberUpload.Format.CSV;
    } else if (type != null && type.startsWith("application/x-ndjson")) {
      format = MemberUpload.Format.NDJSON;
    } else {
      throw MonitoringProblems.unsupportedMediaType(
          "Send the members as text/csv (with a header line) or application/x-ndjson.");
    }
    String tenant = tenant(ctx);
    UUID id = id(ctx);
    request.pause();
    service
        .get(tenant, id)
        .onSuccess(
            p -> {
              ctx.response()
                  .setChunked(true)
                  .setStatusCode(200)
                  .putHeader("Content-Type", "application/x-ndjson");
              new MemberUpload(ctx.vertx(), writer, config, tenant, id, format, ctx.response())
                  .run(request)
                  .onComplete(
                      ar -> {
                        // Stopped early: the rest of the body is not read, so the connection goes.
                        if (!request.isEnded()) {
                          request.connection().close();
                        }
                      });
              request.resume();
            })
        .onFailure(ctx::fail);
  }

  private void members(RoutingContext ctx) {
    int limit = limit(ctx);
    String[] cursor = cursor(ctx, "after", 1);
    MemberRepository.Filter filter =
        new MemberRepository.Filter(
            query(ctx, "level"),
            intQuery(ctx, "score_below", 0, 101),
            query(ctx, "sector"),
            query(ctx, "region"));
    service
        .members(tenant(ctx), id(ctx), filter, cursor == null ? null : cursor[0], limit)
        .onSuccess(items -> page(ctx, items, limit, last -> encode(last.getString("reference"))))
        .onFailure(ctx::fail);
  }

  private void putMember(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Map<String, Object> fields = new java.util.LinkedHashMap<>(body.getMap());
    if (body.getValue("company") instanceof JsonObject company) {
      fields.put("company", company);
    }
    fields.put("reference", ctx.pathParam("reference"));
    fields.remove("action");
    one(ctx, MemberLine.parse(1, fields));
  }

  private void removeMember(RoutingContext ctx) {
    Map<String, Object> fields =
        Map.of("reference", ctx.pathParam("reference"), "action", MemberLine.REMOVE);
    one(ctx, MemberLine.parse(1, fields));
  }

  /** One member written as a one-line upload; its errors are the call's problem. */
  private void one(RoutingContext ctx, MemberLine line) {
    String tenant = tenant(ctx);
    UUID id = id(ctx);
    service
        .get(tenant, id)
        .compose(p -> writer.write(tenant, id, List.of(line)))
        .onSuccess(
            results -> {
              JsonObject result = results.get(0);
              String status = result.getString("status");
              if (status.equals("error")) {
                JsonObject first = result.getJsonArray("errors").getJsonObject(0);
                if (first.getString("code").equals("not_a_member")) {
                  ctx.fail(MonitoringProblems.notFound("No member has this reference."));
                  return;
                }
                List<FieldError> errors = new ArrayList<>();
                for (Object e : result.getJsonArray("errors")) {
                  JsonObject err = (JsonObject) e;
                  errors.add(
                      new FieldError(
                          err.getString("field"), err.getString("code"), err.getString("message")));
                }
                ctx.fail(new ValidationException(errors));
              } else if (status.equals("removed")) {
                ctx.response().setStatusCode(204).end();
              } else {
                JsonBodies.send(ctx, status.equals("added") ? 201 : 200, result);
              }
            })
        .onFailure(ctx::fail);
  }

  private void rules(RoutingContext ctx) {
    service
        .rules(tenant(ctx), id(ctx))
        .onSuccess(items -> JsonBodies.ok(ctx, new JsonObject().put("items", new JsonArray(items))))
        .onFailure(ctx::fail);
  }

  private void changeRule(RoutingContext ctx) {
    Caller caller = Tenants.caller(ctx);
    answer(
        ctx,
        200,
        service.changeRule(
            caller.tenant().id(),
            id(ctx),
            ctx.pathParam("rule"),
            JsonBodies.object(ctx),
            caller.credentialId()));
  }

  private void ruleHistory(RoutingContext ctx) {
    int limit = limit(ctx);
    String[] cursor = cursor(ctx, "before", 1);
    Long before;
    try {
      before = cursor == null ? null : Long.valueOf(cursor[0]);
    } catch (NumberFormatException e) {
      throw MonitoringProblems.invalid("before", "cursor", "before is not a cursor of this list.");
    }
    service
        .ruleHistory(tenant(ctx), id(ctx), before, limit)
        .onSuccess(
            items ->
                page(ctx, items, limit, last -> encode(Long.toString(last.getLong("version")))))
        .onFailure(ctx::fail);
  }

  private void alerts(RoutingContext ctx) {
    int limit = limit(ctx);
    String[] cursor = cursor(ctx, "after", 2);
    String status = query(ctx, "status");
    if (status != null && !List.of("open", "acknowledged", "resolved").contains(status)) {
      throw MonitoringProblems.invalid(
          "status", "enum", "status must be open, acknowledged or resolved.");
    }
    String rule = query(ctx, "rule");
    if (rule != null && !AlertRules.names().contains(rule)) {
      throw MonitoringProblems.invalid("rule", "enum", "rule must be one of " + AlertRules.names());
    }
    AlertRepository.Filter filter = new AlertRepository.Filter(instant(ctx, "since"), rule, status);
    service
        .alerts(
            tenant(ctx),
            id(ctx),
            filter,
            cursor == null ? null : Instant.parse(cursor[0]),
            cursor == null ? null : UUID.fromString(cursor[1]),
            limit)
        .onSuccess(
            items ->
                page(
                    ctx,
                    items,
                    limit,
                    last -> encode(last.getString("created_at"), last.getString("id"))))
        .onFailure(ctx::fail);
  }

  private void move(RoutingContext ctx, String to) {
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : JsonBodies.object(ctx);
    Object comment = body.getValue("comment");
    if (comment != null && !(comment instanceof String s && s.length() <= 2000)) {
      throw MonitoringProblems.invalid(
          "comment", "type", "comment must be a text of at most 2000 characters.");
    }
    UUID alert = uuidOr404(ctx.pathParam("alert"), "No such alert in this portfolio.");
    Caller caller = Tenants.caller(ctx);
    answer(
        ctx,
        200,
        service.moveAlert(
            caller.tenant().id(), id(ctx), alert, to, caller.credentialId(), (String) comment));
  }

  private void movers(RoutingContext ctx) {
    Integer days = intQuery(ctx, "days", 1, config.moversMaxDays());
    answer(ctx, 200, service.movers(tenant(ctx), id(ctx), days == null ? 30 : days, limit(ctx)));
  }

  private static void answer(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(json -> JsonBodies.send(ctx, status, json)).onFailure(ctx::fail);
  }

  /**
   * A page of at most {@code limit} items; {@code next} is the cursor of the page after it, null on
   * the last page.
   */
  private static void page(
      RoutingContext ctx,
      List<JsonObject> items,
      int limit,
      java.util.function.Function<JsonObject, String> cursorOf) {
    String next = items.size() < limit ? null : cursorOf.apply(items.get(items.size() - 1));
    JsonBodies.ok(ctx, new JsonObject().put("items", new JsonArray(items)).put("next", next));
  }

  private static String tenant(RoutingContext ctx) {
    return Tenants.caller(ctx).tenant().id();
  }

  private static UUID id(RoutingContext ctx) {
    return uuidOr404(ctx.pathParam("id"), "No such portfolio.");
  }

  private static UUID uuidOr404(String raw, String detail) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw MonitoringProblems.notFound(detail);
    }
  }

  private static String name(JsonObject body) {
    if (!(body.getValue("name") instanceof String name) || name.isBlank() || name.length() > 200) {
      throw MonitoringProblems.invalid(
          "name", "required", "name is required: a text of 1 to 200 characters.");
    }
    return name.trim();
  }

  private int limit(RoutingContext ctx) {
    Integer limit = intQuery(ctx, "limit", 1, config.pageMax());
    return limit == null ? config.pageDefault() : limit;
  }

  private static String query(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isBlank() ? null : value;
  }

  private static Integer intQuery(RoutingContext ctx, String name, int min, int max) {
    String value = query(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw MonitoringProblems.invalid(
          name, "range", name + " must be a whole number from " + min + " to " + max + ".");
    }
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String value = query(ctx, name);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw MonitoringProblems.invalid(
          name, "format", name + " must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z.");
    }
  }

  private static String encode(String... parts) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor's parts, checked to be a cursor of this kind of list; null when absent. */
  private static String[] cursor(RoutingContext ctx, String name, int parts) {
    String value = query(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      String[] split =
          new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8)
              .split("\\|", parts);
      if (split.length != parts) {
        throw new IllegalArgumentException("not a cursor");
      }
      if (parts == 2) {
        Instant.parse(split[0]);
        UUID.fromString(split[1]);
      }
      return split;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw MonitoringProblems.invalid(name, "cursor", name + " is not a cursor of this list.");
    }
  }
}
