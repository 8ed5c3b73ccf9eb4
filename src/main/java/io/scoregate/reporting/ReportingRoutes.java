package io.scoregate.reporting;

import io.scoregate.edge.ScopeGuard;
import io.scoregate.http.JsonBodies;
import io.scoregate.http.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * The reporting API of a portfolio: analytics (summary, distribution, concentration, the risk x
 * exposure matrix, largest exposures, evolution), regulatory figures, and the data-warehouse
 * exports. Every route first checks that the calling tenant owns the portfolio (404 otherwise).
 */
public final class ReportingRoutes {

  private static final String BASE = "/portfolios/:id";
  private static final List<String> CONCENTRATIONS = List.of("section", "division", "region");

  private final ReportingService service;
  private final Exports exports;

  public ReportingRoutes(ReportingService service, String platformPolicyVersion) {
    this.service = service;
    this.exports = new Exports(service, platformPolicyVersion);
  }

  /** Mounts on the {@code /api/v1} sub-router. */
  public void mount(Router router) {
    // The portfolio's figures need the portfolios scope, as the portfolios themselves do.
    Handler<RoutingContext> portfolios = ScopeGuard.require("portfolios");
    router.get(BASE + "/summary").handler(portfolios).handler(ctx -> answer(ctx, service::summary));
    router
        .get(BASE + "/distribution")
        .handler(portfolios)
        .handler(ctx -> answer(ctx, service::distribution));
    router.get(BASE + "/concentration").handler(portfolios).handler(this::concentration);
    router.get(BASE + "/matrix").handler(portfolios).handler(ctx -> answer(ctx, service::matrix));
    router.get(BASE + "/exposures").handler(portfolios).handler(this::largest);
    router.get(BASE + "/evolution").handler(portfolios).handler(this::evolution);
    router
        .get(BASE + "/regulatory")
        .handler(portfolios)
        .handler(ctx -> answer(ctx, service::regulatory));
    router.get(BASE + "/exports/members").handler(portfolios).handler(this::exportMembers);
    router
        .get(BASE + "/exports/alerts")
        .handler(portfolios)
        .handler(ctx -> exportPeriod(ctx, exports.alerts()));
    router
        .get(BASE + "/exports/score-history")
        .handler(portfolios)
        .handler(ctx -> exportPeriod(ctx, exports.scoreHistory()));
    router.get("/exports/decisions").handler(this::exportDecisions);
  }

  /** The tenant's decisions of a period, from the journal (no portfolio: every decision). */
  private void exportDecisions(RoutingContext ctx) {
    Period period = period(ctx);
    boolean csv = csv(ctx);
    String tenant = RequestContext.from(ctx).tenantId();
    startExport(ctx, csv, "decisions-" + period.from() + "-" + period.to());
    exports
        .write(
            exports.decisions(),
            csv,
            io.vertx.sqlclient.Tuple.of(tenant, period.start(), period.end()),
            ctx.response())
        .onSuccess(v -> ctx.response().end())
        .onFailure(e -> ctx.response().reset());
  }

  /** A period of whole days, {@code from} to {@code to} included (default the last 30 days). */
  private record Period(LocalDate from, LocalDate to) {
    java.time.OffsetDateTime start() {
      return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    java.time.OffsetDateTime end() {
      return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
  }

  private Period period(RoutingContext ctx) {
    LocalDate to = dateParam(ctx, "to", service.today());
    LocalDate from = dateParam(ctx, "from", to.minusDays(30));
    if (from.isAfter(to)) {
      throw ReportingProblems.invalid("from", "must not be after to");
    }
    return new Period(from, to);
  }

  private void concentration(RoutingContext ctx) {
    String by = ctx.queryParams().get("by") == null ? "section" : ctx.queryParams().get("by");
    if (!CONCENTRATIONS.contains(by)) {
      throw ReportingProblems.invalid("by", "must be one of " + String.join(", ", CONCENTRATIONS));
    }
    answer(ctx, portfolio -> service.concentration(portfolio, by));
  }

  private void largest(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", 20, 1, service.config().topLimitMax());
    answer(
        ctx,
        portfolio ->
            service
                .largestExposures(portfolio, limit)
                .map(rows -> new JsonObject().put("exposures", rows)));
  }

  private void evolution(RoutingContext ctx) {
    int days = intParam(ctx, "days", 90, 1, 3660);
    answer(
        ctx,
        portfolio ->
            service
                .evolution(portfolio, days)
                .map(snapshots -> new JsonObject().put("days", days).put("snapshots", snapshots)));
  }

  private void exportMembers(RoutingContext ctx) {
    LocalDate asOf = dateParam(ctx, "as_of", service.today());
    if (asOf.isAfter(service.today())) {
      throw ReportingProblems.invalid("as_of", "must not be in the future");
    }
    boolean csv = csv(ctx);
    UUID portfolio = portfolioId(ctx);
    LocalDate pastDueFrom = asOf.minusDays(service.config().ifrs9().pastDueLookbackDays());
    stream(
        ctx,
        portfolio,
        csv,
        "members-" + asOf,
        () ->
            exports.write(
                exports.members(asOf),
                csv,
                Exports.memberParams(portfolio, pastDueFrom, asOf),
                ctx.response()));
  }

  private void exportPeriod(RoutingContext ctx, Exports.Kind kind) {
    Period period = period(ctx);
    boolean csv = csv(ctx);
    UUID portfolio = portfolioId(ctx);
    stream(
        ctx,
        portfolio,
        csv,
        kind.name() + "-" + period.from() + "-" + period.to(),
        () ->
            exports.write(
                kind,
                csv,
                io.vertx.sqlclient.Tuple.of(portfolio, period.start(), period.end()),
                ctx.response()));
  }

  /**
   * Checks the tenant owns the portfolio, then streams the export chunked. Once the first bytes are
   * out a failure can no longer become a problem answer: the connection is reset, so a truncated
   * file never looks complete.
   */
  private void stream(
      RoutingContext ctx,
      UUID portfolio,
      boolean csv,
      String filename,
      java.util.function.Supplier<Future<Void>> body) {
    service
        .owned(portfolio, RequestContext.from(ctx).tenantId())
        .onFailure(ctx::fail)
        .onSuccess(
            name -> {
              startExport(ctx, csv, filename);
              body.get()
                  .onSuccess(v -> ctx.response().end())
                  .onFailure(e -> ctx.response().reset());
            });
  }

  private static void startExport(RoutingContext ctx, boolean csv, String filename) {
    ctx.response()
        .setChunked(true)
        .putHeader(
            "Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
        .putHeader(
            "Content-Disposition",
            "attachment; filename=\"" + filename + (csv ? ".csv" : ".ndjson") + "\"");
  }

  private void answer(
      RoutingContext ctx, java.util.function.Function<UUID, Future<JsonObject>> figures) {
    UUID portfolio = portfolioId(ctx);
    service
        .owned(portfolio, RequestContext.from(ctx).tenantId())
        .compose(
            name ->
                figures.apply(portfolio).map(body -> body.put("portfolio", meta(portfolio, name))))
        .onSuccess(body -> JsonBodies.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private JsonObject meta(UUID portfolio, String name) {
    return new JsonObject()
        .put("id", portfolio.toString())
        .put("name", name)
        .put("as_of", service.today().toString());
  }

  private static UUID portfolioId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ReportingProblems.noPortfolio();
    }
  }

  /** CSV when asked by {@code ?format=csv} or an Accept of text/csv; NDJSON otherwise. */
  private static boolean csv(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null) {
      if (!format.equals("csv") && !format.equals("ndjson")) {
        throw ReportingProblems.invalid("format", "must be csv or ndjson");
      }
      return format.equals("csv");
    }
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/csv");
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ReportingProblems.invalid(name, "must be a whole number from " + min + " to " + max);
  }

  private static LocalDate dateParam(RoutingContext ctx, String name, LocalDate fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ReportingProblems.invalid(name, "must be a date, YYYY-MM-DD");
    }
  }
}
