package io.scoregate.scoring;

import io.scoregate.company.Identifiers;
import io.scoregate.company.InvalidIdentifierException;
import io.scoregate.edge.IdempotencyService;
import io.scoregate.http.JsonBodies;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.Supplier;

/** The decision and score endpoints. */
public final class ScoringRoutes {

  private final DecisionService decisions;
  private final IdempotencyService idempotency;
  private final PolicyConfig limits;

  public ScoringRoutes(
      DecisionService decisions, IdempotencyService idempotency, PolicyConfig limits) {
    this.decisions = decisions;
    this.idempotency = idempotency;
    this.limits = limits;
  }

  /** On the {@code /api/v1} router. */
  public void mount(Router router) {
    router.post("/scoring").consumes("application/json").handler(this::decide);
    router.get("/companies/:country/:id/score").handler(this::score);
  }

  private void decide(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    ScoringRequest request = ScoringRequest.parse(body, limits);
    RequestContext context = RequestContext.from(ctx);
    String tenant = context.tenantId();
    String key = ctx.request().getHeader(IdempotencyService.HEADER);
    Supplier<Future<Buffer>> decide =
        () -> decisions.decide(request, tenant, context.requestId(), context.arrivedAt());
    (key == null ? decide.get() : idempotency.once(tenant, key, body, decide))
        .onSuccess(answer -> JsonBodies.ok(ctx, answer))
        .onFailure(ctx::fail);
  }

  private void score(RoutingContext ctx) {
    String country = ctx.pathParam("country").toUpperCase(Locale.ROOT);
    try {
      decisions
          .score(Identifiers.parse(country, ctx.pathParam("id")))
          .onSuccess(answer -> JsonBodies.ok(ctx, answer))
          .onFailure(ctx::fail);
    } catch (InvalidIdentifierException e) {
      throw ValidationException.of("id", e.code(), e.getMessage());
    }
  }
}
