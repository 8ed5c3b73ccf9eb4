package io.scoregate.audit;

import io.scoregate.http.JsonBodies;
import io.scoregate.http.RequestContext;
import io.scoregate.problem.ProblemException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Reads one journaled decision: what was asked, the data used, what was answered. */
public final class DecisionRoutes {

  private final JournalRepository journal;

  public DecisionRoutes(JournalRepository journal) {
    this.journal = journal;
  }

  /** On the {@code /api/v1} router. */
  public void mount(Router router) {
    router.get("/decisions/:id").handler(this::find);
  }

  private void find(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No decision with this id.");
    }
    journal
        .find(id, RequestContext.from(ctx).tenantId())
        .onSuccess(
            record -> {
              if (record == null) {
                ctx.fail(ProblemException.notFound("No decision with this id."));
              } else {
                JsonBodies.ok(ctx, record);
              }
            })
        .onFailure(
            e ->
                ctx.fail(
                    ProblemException.unavailable(
                        "The decision journal is unavailable; retry later.", e)));
  }
}
