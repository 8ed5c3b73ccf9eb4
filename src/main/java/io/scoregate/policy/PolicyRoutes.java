package io.scoregate.policy;

import io.scoregate.edge.AdminAccess;
import io.scoregate.http.ContractBodies;
import io.scoregate.http.JsonBodies;
import io.scoregate.http.Principal;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * The admin API of tenants' policies (admin scope): submit a version, read versions and their
 * history, activate, roll back, simulate. The author of each change is the admin's credential.
 */
public final class PolicyRoutes {

  private final PolicyService policies;
  private final PolicySimulation simulation;
  private final ContractBodies contract;

  public PolicyRoutes(
      PolicyService policies, PolicySimulation simulation, ContractBodies contract) {
    this.policies = policies;
    this.simulation = simulation;
    this.contract = contract;
  }

  public void mount(Router router) {
    String base = "/tenants/:tenant/policies";
    // A tenant's admin reaches its own policies only; another tenant's answer 404 (BOLA).
    Handler<RoutingContext> own = AdminAccess.ownTenant();
    router
        .post(base)
        .consumes("application/json")
        .handler(own)
        .handler(contract.body("submitPolicy"))
        .handler(this::submit);
    router.get(base).handler(own).handler(this::list);
    router.post(base + "/rollback").handler(own).handler(this::rollback);
    router.get(base + "/:version").handler(own).handler(this::version);
    router.post(base + "/:version/activate").handler(own).handler(this::activate);
    router
        .post(base + "/:version/simulate")
        .consumes("application/json")
        .handler(own)
        .handler(contract.body("simulatePolicy"))
        .handler(this::simulate);
  }

  private void submit(RoutingContext ctx) {
    policies
        .submit(ctx.pathParam("tenant"), JsonBodies.object(ctx), actor(ctx))
        .onSuccess(json -> JsonBodies.send(ctx, 201, json))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    policies
        .list(ctx.pathParam("tenant"))
        .onSuccess(json -> JsonBodies.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void version(RoutingContext ctx) {
    policies
        .get(ctx.pathParam("tenant"), ctx.pathParam("version"))
        .onSuccess(json -> JsonBodies.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void activate(RoutingContext ctx) {
    policies
        .activate(ctx.pathParam("tenant"), ctx.pathParam("version"), actor(ctx))
        .onSuccess(json -> JsonBodies.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void rollback(RoutingContext ctx) {
    policies
        .rollback(ctx.pathParam("tenant"), actor(ctx))
        .onSuccess(json -> JsonBodies.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"from": instant, "to": instant}} replays the journal of that period; {@code
   * {"portfolio_id": uuid, "amount"?: n, "payment_term"?: n}} the portfolio's members today.
   */
  private void simulate(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String tenant = ctx.pathParam("tenant");
    Future<CompiledPolicy> candidate = policies.version(tenant, ctx.pathParam("version"));
    Future<JsonObject> report;
    if (body.containsKey("portfolio_id")) {
      UUID portfolio = uuid(body.getValue("portfolio_id"));
      Double amount = positive(body, "amount");
      Double term = positive(body, "payment_term");
      report =
          candidate.compose(
              c ->
                  simulation.onPortfolio(
                      tenant,
                      policies.active(tenant),
                      c,
                      portfolio,
                      amount,
                      term == null ? null : term.intValue()));
    } else {
      Instant from = instant(body, "from");
      Instant to = instant(body, "to");
      if (!from.isBefore(to)) {
        throw new ValidationException(
            List.of(new FieldError("to", "range", "to must be after from.")));
      }
      report = candidate.compose(c -> simulation.onJournal(tenant, c, from, to));
    }
    report.onSuccess(json -> JsonBodies.ok(ctx, json)).onFailure(ctx::fail);
  }

  /** The author kept with each change: the admin's tenant and credential (never a secret). */
  private static String actor(RoutingContext ctx) {
    Principal caller = RequestContext.from(ctx).principal();
    return caller.tenantId() + "/" + caller.credentialId();
  }

  private static Instant instant(JsonObject body, String field) {
    try {
      return Instant.parse(String.valueOf(body.getValue(field)));
    } catch (DateTimeParseException e) {
      throw new ValidationException(
          List.of(
              new FieldError(
                  field, "format", field + " is an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z.")));
    }
  }

  private static UUID uuid(Object value) {
    try {
      return UUID.fromString(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          List.of(new FieldError("portfolio_id", "format", "portfolio_id is a UUID.")));
    }
  }

  private static Double positive(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() >= 0 && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new ValidationException(
        List.of(new FieldError(field, "range", field + " must be a number >= 0.")));
  }
}
