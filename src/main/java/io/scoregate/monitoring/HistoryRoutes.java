package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.Identifiers;
import io.scoregate.company.InvalidIdentifierException;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.http.JsonBodies;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import java.util.Locale;

/**
 * {@code GET /api/v1/companies/{country}/{id}/history}: the company's score changes, newest first,
 * by pages of {@code limit} (default 50) with the {@code cursor} of the previous page; 404 for a
 * company not on file.
 */
public final class HistoryRoutes {

  private static final int DEFAULT_LIMIT = 50;

  private final ScoreHistoryRepository history;
  private final int maxLimit;

  public HistoryRoutes(SqlClient sql, MonitoringConfig config) {
    this.history = new ScoreHistoryRepository(sql);
    this.maxLimit = config.historyMaxPage();
  }

  public void mount(Router router) {
    router.get("/companies/:country/:id/history").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    CompanyKey key;
    try {
      key =
          Identifiers.parse(ctx.pathParam("country").toUpperCase(Locale.ROOT), ctx.pathParam("id"));
    } catch (InvalidIdentifierException e) {
      throw ValidationException.of("id", e.code(), e.getMessage());
    }
    int limit = limit(ctx.queryParams().get("limit"));
    String cursor = ctx.queryParams().get("cursor");
    if (cursor != null) {
      try {
        ScoreHistoryRepository.Cursor.parse(cursor);
      } catch (IllegalArgumentException e) {
        throw ValidationException.of(
            "cursor", "invalid", "cursor must be the next of a previous page.");
      }
    }
    history
        .page(key, cursor, limit)
        // An empty first page: a company without changes yet, or none on file (a 404, as its
        // score is). Only then the extra look-up.
        .compose(
            page ->
                cursor != null || !page.items().isEmpty()
                    ? Future.succeededFuture(page)
                    : history
                        .exists(key)
                        .compose(
                            known ->
                                known
                                    ? Future.succeededFuture(page)
                                    : Future.<ScoreHistoryRepository.Page>failedFuture(
                                        new UnknownCompanyException(key))))
        .onSuccess(
            page ->
                JsonBodies.ok(
                    ctx,
                    new JsonObject()
                        .put(
                            "company",
                            new JsonObject()
                                .put("country", key.country())
                                .put("id", key.nationalId()))
                        .put("items", page.items())
                        .put("next", page.next())))
        .onFailure(ctx::fail);
  }

  private int limit(String value) {
    if (value == null) {
      return Math.min(DEFAULT_LIMIT, maxLimit);
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= maxLimit) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ValidationException.of(
        "limit", "range", "limit must be a whole number 1.." + maxLimit + ".");
  }
}
