package io.scoregate.http;

import io.scoregate.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads JSON request bodies and writes JSON answers. */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body as a JSON object, or a 400 problem when it is empty or not a JSON object. */
  public static JsonObject object(RoutingContext ctx) {
    try {
      if (ctx.body().isEmpty()) {
        throw ProblemException.badRequest("The request body is empty; send a JSON object.");
      }
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ProblemException.badRequest("The request body must be a JSON object.");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw ProblemException.badRequest("The request body is not a valid JSON object.");
    }
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, body);
  }

  /** A body already encoded as JSON. */
  public static void ok(RoutingContext ctx, Buffer json) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json);
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }
}
