package io.scoregate.rollout;

import io.scoregate.http.JsonBodies;
import io.scoregate.http.Principal;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API of the model registry (admin scope): list, shadow, promote, retire, roll back, the
 * shadow comparison, the validation report and the change log. Every change names its actor (the
 * calling tenant and key) in the log.
 */
public final class ModelAdminRoutes {

  private static final int MAX_CHANGES = 200;

  private final RolloutService rollout;

  public ModelAdminRoutes(RolloutService rollout) {
    this.rollout = rollout;
  }

  /** On the {@code /admin/v1} router. */
  public void mount(Router router) {
    router.get("/models").handler(this::list);
    router.get("/models/changes").handler(this::changes);
    router.post("/models/rollback").handler(this::rollback);
    router.get("/models/:version/report").handler(this::report);
    router.get("/models/:version/shadow-report").handler(this::shadowReport);
    router.post("/models/:version/shadow").handler(ctx -> change(ctx, rollout::shadow));
    router.post("/models/:version/promote").handler(ctx -> change(ctx, rollout::promote));
    router.post("/models/:version/retire").handler(ctx -> change(ctx, rollout::retire));
  }

  private interface Change {
    Future<Void> apply(String version, String actor, String reason);
  }

  private void list(RoutingContext ctx) {
    rollout
        .list()
        .onSuccess(
            models -> {
              JsonArray out = new JsonArray();
              models.forEach(m -> out.add(m.json()));
              JsonBodies.ok(ctx, new JsonObject().put("models", out));
            })
        .onFailure(ctx::fail);
  }

  private void changes(RoutingContext ctx) {
    rollout
        .changes(MAX_CHANGES)
        .onSuccess(
            changes -> {
              JsonArray out = new JsonArray();
              changes.forEach(c -> out.add(c.json()));
              JsonBodies.ok(ctx, new JsonObject().put("changes", out));
            })
        .onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx, Change change) {
    String version = ctx.pathParam("version");
    String reason = reason(ctx);
    change
        .apply(version, actor(ctx), reason)
        .compose(v -> rollout.list())
        .onSuccess(
            models ->
                JsonBodies.ok(
                    ctx,
                    models.stream()
                        .filter(m -> m.version().equals(version))
                        .findFirst()
                        .map(RegisteredModel::json)
                        .orElseThrow()))
        .onFailure(ctx::fail);
  }

  private void rollback(RoutingContext ctx) {
    rollout
        .rollback(actor(ctx), reason(ctx))
        .onSuccess(version -> JsonBodies.ok(ctx, new JsonObject().put("champion", version)))
        .onFailure(ctx::fail);
  }

  private void shadowReport(RoutingContext ctx) {
    rollout
        .shadowReport(ctx.pathParam("version"))
        .onSuccess(report -> JsonBodies.ok(ctx, report))
        .onFailure(ctx::fail);
  }

  private void report(RoutingContext ctx) {
    rollout
        .report(ctx.pathParam("version"))
        .onSuccess(
            report -> {
              if (report == null) {
                ctx.fail(ProblemException.notFound("No validation report was registered with it."));
              } else {
                JsonBodies.ok(ctx, report);
              }
            })
        .onFailure(ctx::fail);
  }

  /** An optional {@code {"reason": "..."}} body, at most 500 characters. */
  private static String reason(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().isEmpty()) {
      return "admin API";
    }
    Object reason = JsonBodies.object(ctx).getValue("reason");
    if (reason != null && !(reason instanceof String)) {
      throw ProblemException.badRequest("reason must be a string.");
    }
    String text = reason == null ? "admin API" : (String) reason;
    if (text.length() > 500) {
      throw ProblemException.badRequest("reason: at most 500 characters.");
    }
    return text;
  }

  private static String actor(RoutingContext ctx) {
    Principal caller = RequestContext.from(ctx).principal();
    return caller == null ? "anonymous" : caller.tenantId() + "/" + caller.credentialId();
  }
}
