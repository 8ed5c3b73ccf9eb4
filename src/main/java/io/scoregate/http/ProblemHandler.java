package io.scoregate.http;

import io.scoregate.audit.JournalUnavailableException;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.edge.InvalidCredentialsException;
import io.scoregate.edge.InvalidTokenException;
import io.scoregate.edge.TenantExistsException;
import io.scoregate.edge.UnknownKeyException;
import io.scoregate.scoring.DependencyUnavailableException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes error bodies: turns any failure into an RFC 9457 problem. Client errors
 * are logged without a stack trace; server errors with the request id and the exception's type,
 * never its trace, and the client sees only a generic detail.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // Too late for a problem body: the answer has started. Close it so the client notices.
      ctx.response().reset();
      return;
    }
    ApiProblem problem = toProblem(ctx.failure(), ctx.statusCode(), ctx);
    JsonObject body =
        new JsonObject()
            .put("type", "/problems/" + problem.type())
            .put("title", problem.title())
            .put("status", problem.status())
            .put("detail", problem.detail())
            .put("instance", ctx.request().path());
    String requestId = RequestIdHandler.requestId(ctx);
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    if (problem instanceof ApiProblem.Invalid invalid) {
      JsonArray errors = new JsonArray();
      for (ApiProblem.FieldError e : invalid.errors()) {
        errors.add(
            new JsonObject()
                .put("field", e.field())
                .put("code", e.code())
                .put("detail", e.message()));
      }
      body.put("errors", errors);
    }
    if (problem.status() == 401) {
      // RFC 6750 for bearer tokens, and how to send an API key instead.
      String bearer =
          Boolean.TRUE.equals(ctx.get("invalidToken"))
              ? "Bearer realm=\"scoregate\", error=\"invalid_token\""
              : "Bearer realm=\"scoregate\"";
      ctx.response().putHeader("WWW-Authenticate", bearer + ", ApiKey realm=\"scoregate\"");
    }
    if (problem.status() == 405) {
      ctx.response().putHeader("Allow", "GET, POST");
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body.toBuffer());
  }

  private static ApiProblem toProblem(Throwable failure, int statusCode, RoutingContext ctx) {
    if (failure instanceof ApiProblem problem) {
      if (problem.status() >= 500) {
        LOG.warn(
            "{} {} -> {} {} (request {})",
            ctx.request().method(),
            ctx.request().path(),
            problem.status(),
            problem.type(),
            RequestIdHandler.requestId(ctx));
      }
      return problem;
    }
    if (failure instanceof UnknownCompanyException e) {
      return ApiProblem.notFound(e.getMessage());
    }
    if (failure instanceof InvalidCredentialsException e) {
      return new ApiProblem.Status(401, "unauthorized", "Unauthorized", e.getMessage());
    }
    if (failure instanceof InvalidTokenException e) {
      LOG.info(
          "bearer token refused: {} (request {})", e.reason(), RequestIdHandler.requestId(ctx));
      ctx.put("invalidToken", true);
      return new ApiProblem.Status(401, "unauthorized", "Unauthorized", e.getMessage());
    }
    if (failure instanceof UnknownKeyException e) {
      return ApiProblem.notFound(e.getMessage());
    }
    if (failure instanceof TenantExistsException e) {
      return new ApiProblem.Status(409, "conflict", "Conflict", e.getMessage());
    }
    if (failure instanceof JournalUnavailableException
        || failure instanceof DependencyUnavailableException) {
      LOG.warn(
          "{} {} -> 503: {} (request {})",
          ctx.request().method(),
          ctx.request().path(),
          failure.getMessage(),
          RequestIdHandler.requestId(ctx));
      return ApiProblem.unavailable(failure.getMessage());
    }
    int status = statusCode;
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    if (failure == null || failure instanceof HttpException) {
      ApiProblem known = forStatus(status);
      if (known != null) {
        return known;
      }
    }
    // Anything else is a bug or an unexpected fault: say so without details.
    LOG.error(
        "{} {} -> 500 {}: {} (request {})",
        ctx.request().method(),
        ctx.request().path(),
        failure == null ? "status " + statusCode : failure.getClass().getName(),
        failure == null ? "" : String.valueOf(failure.getMessage()),
        RequestIdHandler.requestId(ctx));
    return new ApiProblem.Status(
        500,
        "internal-error",
        "Internal error",
        "The request could not be completed; quote the request id to support.");
  }

  private static ApiProblem forStatus(int status) {
    return switch (status) {
      case 400 -> ApiProblem.badRequest("The request could not be read.");
      case 404 -> ApiProblem.notFound("No resource at this path.");
      case 405 ->
          new ApiProblem.Status(
              405,
              "method-not-allowed",
              "Method not allowed",
              "This resource does not accept this method.");
      case 413 ->
          new ApiProblem.Status(
              413,
              "payload-too-large",
              "Payload too large",
              "The request body is larger than this service accepts.");
      case 415 ->
          new ApiProblem.Status(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json.");
      case 503 -> ApiProblem.unavailable("The service is temporarily unavailable; retry later.");
      default -> null;
    };
  }
}
