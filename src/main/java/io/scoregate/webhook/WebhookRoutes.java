package io.scoregate.webhook;

import io.scoregate.edge.Caller;
import io.scoregate.edge.Tenants;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.JsonBodies;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code /api/v1/webhooks} (endpoints, their attempts, messages, replays, tests and statistics) and
 * {@code /api/v1/email-digests}, all under the {@code webhooks} scope.
 */
public final class WebhookRoutes {

  static final String SCOPE = "webhooks";
  private static final String BASE = "/webhooks";

  private final WebhookService service;
  private final ContractBodies contract;

  public WebhookRoutes(WebhookService service, ContractBodies contract) {
    this.service = service;
    this.contract = contract;
  }

  /** On the {@code /api/v1} router. */
  public void mount(Router router) {
    scoped(router.post(BASE))
        .handler(contract.body("createWebhook"))
        .handler(ctx -> created(ctx, service.create(tenant(ctx), JsonBodies.object(ctx))));
    scoped(router.get(BASE)).handler(ctx -> list(ctx, service.list(tenant(ctx))));
    scoped(router.get(BASE + "/:id")).handler(ctx -> ok(ctx, service.get(tenant(ctx), id(ctx))));
    scoped(router.patch(BASE + "/:id"))
        .handler(contract.body("updateWebhook"))
        .handler(ctx -> ok(ctx, service.update(tenant(ctx), id(ctx), JsonBodies.object(ctx))));
    scoped(router.delete(BASE + "/:id"))
        .handler(ctx -> noContent(ctx, service.delete(tenant(ctx), id(ctx))));
    scoped(router.post(BASE + "/:id/rotate-secret"))
        .handler(ctx -> ok(ctx, service.rotate(tenant(ctx), id(ctx))));
    scoped(router.post(BASE + "/:id/test"))
        .handler(ctx -> accepted(ctx, service.test(tenant(ctx), id(ctx))));
    scoped(router.get(BASE + "/:id/attempts"))
        .handler(ctx -> list(ctx, service.attempts(tenant(ctx), id(ctx), limit(ctx))));
    scoped(router.get(BASE + "/:id/messages"))
        .handler(
            ctx ->
                list(
                    ctx,
                    service.messages(
                        tenant(ctx), id(ctx), ctx.request().getParam("status"), limit(ctx))));
    scoped(router.post(BASE + "/:id/messages/:messageId/replay"))
        .handler(
            ctx ->
                noContent(ctx, service.replay(tenant(ctx), id(ctx), ctx.pathParam("messageId"))));
    scoped(router.post(BASE + "/:id/replay"))
        .handler(contract.body("replayWebhookSince"))
        .handler(
            ctx ->
                accepted(ctx, service.replaySince(tenant(ctx), id(ctx), JsonBodies.object(ctx))));
    scoped(router.get(BASE + "/:id/stats"))
        .handler(ctx -> ok(ctx, service.stats(tenant(ctx), id(ctx), window(ctx))));
    scoped(router.post("/email-digests"))
        .handler(contract.body("createEmailDigest"))
        .handler(ctx -> created(ctx, service.createDigest(tenant(ctx), JsonBodies.object(ctx))));
    scoped(router.get("/email-digests")).handler(ctx -> list(ctx, service.digests(tenant(ctx))));
    scoped(router.delete("/email-digests/:id"))
        .handler(ctx -> noContent(ctx, service.deleteDigest(tenant(ctx), id(ctx))));
  }

  /** Every route checks the {@code webhooks} scope first. */
  private static Route scoped(Route route) {
    return route.handler(WebhookRoutes::requireScope);
  }

  private static void requireScope(RoutingContext ctx) {
    Caller caller = Tenants.caller(ctx);
    if (caller == null || !caller.scopes().contains(SCOPE)) {
      ctx.fail(
          new ProblemException(
              403,
              "insufficient-scope",
              "Insufficient scope",
              "This credential lacks the '" + SCOPE + "' scope."));
    } else {
      ctx.next();
    }
  }

  private static String tenant(RoutingContext ctx) {
    return RequestContext.from(ctx).tenantId();
  }

  /** A malformed id names no endpoint: 404, as an unknown one. */
  private static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No object with this id.");
    }
  }

  private static int limit(RoutingContext ctx) {
    String value = ctx.request().getParam("limit");
    if (value == null) {
      return 50;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 500) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the problem
    }
    throw WebhookService.invalid("limit", "range", "limit must be a whole number from 1 to 500.");
  }

  private static Duration window(RoutingContext ctx) {
    String value = ctx.request().getParam("hours");
    if (value == null) {
      return Duration.ofHours(24);
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 24 * 31) {
        return Duration.ofHours(n);
      }
    } catch (NumberFormatException e) {
      // falls through to the problem
    }
    throw WebhookService.invalid("hours", "range", "hours must be a whole number from 1 to 744.");
  }

  private static void ok(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> JsonBodies.ok(ctx, body)).onFailure(ctx::fail);
  }

  private static void created(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> JsonBodies.send(ctx, 201, body)).onFailure(ctx::fail);
  }

  private static void accepted(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> JsonBodies.send(ctx, 202, body)).onFailure(ctx::fail);
  }

  private static void list(RoutingContext ctx, Future<JsonArray> result) {
    result
        .onSuccess(items -> JsonBodies.ok(ctx, new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private static void noContent(RoutingContext ctx, Future<Void> result) {
    result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
