package io.scoregate.audit;

import io.scoregate.edge.Tenants;
import io.scoregate.http.ApiProblem;
import io.scoregate.http.JsonBodies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Reads one journaled decision: what was asked, the data used, what was answered. */
public final class DecisionRoutes {

  private final JournalRepository journal;

  public DecisionRoutes(JournalRepository journal) {
    this.journal = journal;
  }

  public void mount(Router router) {
    router.get("/api/v1/decisions/:id").handler(this::find);
  }

  private void find(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("No decision with this id.");
    }
    journal
        .find(id, Tenants.of(ctx))
        .onSuccess(
            record -> {
              if (record == null) {
                ctx.fail(ApiProblem.notFound("No decision with this id."));
              } else {
                JsonBodies.ok(ctx, record);
              }
            })
        .onFailure(
            e ->
                ctx.fail(
                    ApiProblem.unavailable("The decision journal is unavailable; retry later.")));
  }
}
