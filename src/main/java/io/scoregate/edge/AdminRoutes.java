package io.scoregate.edge;

import io.scoregate.http.JsonBodies;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The admin API (admin scope): tenants and their API keys. */
public final class AdminRoutes {

  static final Set<String> SCOPES = Set.of("scoring", "admin", "webhooks");

  private final TenantRepository tenants;
  private final ApiKeyService keys;

  public AdminRoutes(TenantRepository tenants, ApiKeyService keys) {
    this.tenants = tenants;
    this.keys = keys;
  }

  /** On the {@code /admin/v1} router. */
  public void mount(Router router) {
    router.post("/tenants").consumes("application/json").handler(this::createTenant);
    router.get("/tenants/:tenant").handler(this::tenant);
    router.post("/tenants/:tenant/keys").handler(this::issueKey);
    router.get("/tenants/:tenant/keys").handler(this::listKeys);
    router.post("/tenants/:tenant/keys/:key/rotate").handler(this::rotateKey);
    router.delete("/tenants/:tenant/keys/:key").handler(this::revokeKey);
  }

  private void createTenant(RoutingContext ctx) {
    Tenant tenant = parseTenant(JsonBodies.object(ctx));
    tenants.create(tenant).onSuccess(t -> JsonBodies.send(ctx, 201, json(t))).onFailure(ctx::fail);
  }

  private void tenant(RoutingContext ctx) {
    tenants
        .tenant(ctx.pathParam("tenant"))
        .onSuccess(
            t -> {
              if (t == null) {
                ctx.fail(ProblemException.notFound("No such tenant."));
              } else {
                JsonBodies.ok(ctx, json(t));
              }
            })
        .onFailure(ctx::fail);
  }

  private void issueKey(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : JsonBodies.object(ctx);
    tenants
        .tenant(tenantId)
        .compose(
            t ->
                t == null
                    ? io.vertx.core.Future.failedFuture(
                        ProblemException.notFound("No such tenant."))
                    : keys.issue(tenantId, body.getString("label")))
        .onSuccess(key -> JsonBodies.send(ctx, 201, newKey(key)))
        .onFailure(ctx::fail);
  }

  private void listKeys(RoutingContext ctx) {
    keys.list(ctx.pathParam("tenant"))
        .onSuccess(list -> JsonBodies.ok(ctx, new JsonObject().put("keys", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void rotateKey(RoutingContext ctx) {
    keys.rotate(ctx.pathParam("tenant"), ctx.pathParam("key"))
        .onSuccess(key -> JsonBodies.send(ctx, 201, newKey(key)))
        .onFailure(ctx::fail);
  }

  private void revokeKey(RoutingContext ctx) {
    keys.revoke(ctx.pathParam("tenant"), ctx.pathParam("key"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static JsonObject newKey(ApiKeys.NewKey key) {
    return new JsonObject()
        .put("id", key.id())
        .put("key", key.key())
        .put("note", "The key is shown once: store it now. Only its hash is kept.");
  }

  /** A tenant from its JSON form; every invalid field is reported. */
  public static Tenant parseTenant(JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    String id = body.getValue("id") instanceof String s ? s : null;
    if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{1,62}")) {
      errors.add(new FieldError("id", "format", "id: 2-63 lower-case letters, digits, - or _."));
    }
    String name = body.getValue("name") instanceof String s && !s.isBlank() ? s : null;
    if (name == null) {
      errors.add(new FieldError("name", "required", "name is required."));
    }
    int rate = positive(body, "rate_per_second", errors);
    int burst = positive(body, "burst", errors);
    long quota = positive(body, "monthly_quota", errors);
    List<Cidr> allow = new ArrayList<>();
    Object ips = body.getValue("ip_allow_list");
    if (ips instanceof JsonArray array) {
      for (Object ip : array) {
        try {
          allow.add(Cidr.parse(String.valueOf(ip)));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("ip_allow_list", "format", e.getMessage()));
        }
      }
    } else if (ips != null) {
      errors.add(new FieldError("ip_allow_list", "type", "ip_allow_list is a list of CIDRs."));
    }
    Set<String> scopes = new LinkedHashSet<>();
    Object rawScopes = body.getValue("scopes");
    if (rawScopes instanceof JsonArray array) {
      for (Object s : array) {
        if (!SCOPES.contains(String.valueOf(s))) {
          errors.add(new FieldError("scopes", "unknown", "Scopes are " + SCOPES + "."));
        }
        scopes.add(String.valueOf(s));
      }
    } else {
      scopes.add("scoring");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Tenant(id, name, rate, burst, quota, List.copyOf(allow), scopes, false);
  }

  private static int positive(JsonObject body, String field, List<FieldError> errors) {
    Object v = body.getValue(field);
    if (v instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && n.longValue() > 0
        && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    errors.add(new FieldError(field, "range", field + " must be a whole number above 0."));
    return 0;
  }

  public static JsonObject json(Tenant t) {
    return new JsonObject()
        .put("id", t.id())
        .put("name", t.name())
        .put("rate_per_second", t.ratePerSecond())
        .put("burst", t.burst())
        .put("monthly_quota", t.monthlyQuota())
        .put("ip_allow_list", new JsonArray(t.allowList().stream().map(Cidr::toString).toList()))
        .put("scopes", new JsonArray(List.copyOf(t.scopes())))
        .put("disabled", t.disabled());
  }
}
