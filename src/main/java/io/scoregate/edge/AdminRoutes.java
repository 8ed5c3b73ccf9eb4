package io.scoregate.edge;

import io.scoregate.http.ContractBodies;
import io.scoregate.http.JsonBodies;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The admin API: tenants, their API keys and the issuers that may speak for them. Creating tenants
 * and binding issuers need the platform role; a tenant's own {@code admin} scope reads it and
 * manages its keys, and another tenant is a 404 to it (see {@link AdminAccess}).
 */
public final class AdminRoutes {

  /** The scopes a tenant may be given; the platform role is not one of them. */
  static final Set<String> SCOPES =
      Set.of("scoring", "admin", "portfolios", "events:write", "webhooks");

  private final TenantRepository tenants;
  private final ApiKeyService keys;
  private final Set<String> trustedIssuers;
  private final ContractBodies contract;

  public AdminRoutes(
      TenantRepository tenants,
      ApiKeyService keys,
      Set<String> trustedIssuers,
      ContractBodies contract) {
    this.tenants = tenants;
    this.keys = keys;
    this.trustedIssuers = Set.copyOf(trustedIssuers);
    this.contract = contract;
  }

  /** On the {@code /admin/v1} router. */
  public void mount(Router router) {
    router
        .post("/tenants")
        .handler(AdminAccess.platformOnly())
        .consumes("application/json")
        .handler(contract.body("createTenant"))
        .handler(this::createTenant);
    router.get("/tenants/:tenant").handler(AdminAccess.ownTenant()).handler(this::tenant);
    router
        .post("/tenants/:tenant/keys")
        .handler(AdminAccess.ownTenant())
        .handler(contract.body("issueKey"))
        .handler(this::issueKey);
    router.get("/tenants/:tenant/keys").handler(AdminAccess.ownTenant()).handler(this::listKeys);
    router
        .post("/tenants/:tenant/keys/:key/rotate")
        .handler(AdminAccess.ownTenant())
        .handler(this::rotateKey);
    router
        .delete("/tenants/:tenant/keys/:key")
        .handler(AdminAccess.ownTenant())
        .handler(this::revokeKey);
    router
        .get("/tenants/:tenant/issuers")
        .handler(AdminAccess.ownTenant())
        .handler(this::listIssuers);
    router
        .post("/tenants/:tenant/issuers")
        .handler(AdminAccess.ownTenant())
        .handler(AdminAccess.platformOnly())
        .handler(contract.body("bindIssuer"))
        .handler(this::bindIssuer);
    router
        .delete("/tenants/:tenant/issuers")
        .handler(AdminAccess.ownTenant())
        .handler(AdminAccess.platformOnly())
        .handler(this::unbindIssuer);
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
                    ? Future.failedFuture(ProblemException.notFound("No such tenant."))
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

  private void listIssuers(RoutingContext ctx) {
    tenants
        .issuers(ctx.pathParam("tenant"))
        .onSuccess(list -> JsonBodies.ok(ctx, new JsonObject().put("issuers", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private void bindIssuer(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenant");
    Binding binding = binding(JsonBodies.object(ctx), trustedIssuers);
    tenants
        .tenant(tenantId)
        .compose(
            t ->
                t == null
                    ? Future.<Void>failedFuture(ProblemException.notFound("No such tenant."))
                    : tenants.bindIssuer(tenantId, binding.issuer(), binding.clientId()))
        .onSuccess(v -> JsonBodies.send(ctx, 201, binding.json()))
        .onFailure(ctx::fail);
  }

  private void unbindIssuer(RoutingContext ctx) {
    Binding binding =
        binding(
            new JsonObject()
                .put("issuer", ctx.queryParams().get("issuer"))
                .put("client_id", ctx.queryParams().get("client_id")),
            null);
    tenants
        .unbindIssuer(ctx.pathParam("tenant"), binding.issuer(), binding.clientId())
        .onSuccess(
            found -> {
              if (found) {
                ctx.response().setStatusCode(204).end();
              } else {
                ctx.fail(ProblemException.notFound("No such binding."));
              }
            })
        .onFailure(ctx::fail);
  }

  /** An issuer and the client id of it that speaks for a tenant. */
  public record Binding(String issuer, String clientId) {
    JsonObject json() {
      return new JsonObject().put("issuer", issuer).put("client_id", clientId);
    }
  }

  /**
   * A binding from its JSON form; every invalid field is reported. With {@code trusted}, the issuer
   * must be one of the configured ones (a typo would bind nothing that can ever call).
   */
  public static Binding binding(JsonObject body, Set<String> trusted) {
    List<FieldError> errors = new ArrayList<>();
    String issuer = text(body, "issuer", 1000, errors);
    String clientId = text(body, "client_id", 1000, errors);
    if (issuer != null && trusted != null && !trusted.contains(issuer)) {
      errors.add(
          new FieldError(
              "issuer", "unknown", "issuer is not one of the configured edge.jwt issuers."));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Binding(issuer, clientId);
  }

  private static String text(JsonObject body, String field, int max, List<FieldError> errors) {
    if (body.getValue(field) instanceof String s && !s.isBlank() && s.length() <= max) {
      return s;
    }
    errors.add(
        new FieldError(
            field, "required", field + " is required (at most " + max + " characters)."));
    return null;
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
    return new Tenant(id, name, rate, burst, quota, List.copyOf(allow), scopes, false, false);
  }

  private static int positive(JsonObject body, String field, List<FieldError> errors) {
    Long v = JsonBodies.wholeNumber(body.getValue(field));
    if (v != null && v > 0 && v <= Integer.MAX_VALUE) {
      return v.intValue();
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
