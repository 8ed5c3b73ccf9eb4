package io.scoregate.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The one place that writes error bodies: turns any failure into an RFC 9457 problem. A {@link
 * ProblemException} says its own status, type and headers, so this handler knows no feature unit.
 * Client errors are logged without a stack trace (at debug, or at info when the problem carries a
 * reason for the operator); server errors with the request id and the real cause, never a trace,
 * while the client sees only the generic detail.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final AllowedMethods allowed;
  private final String retryAfter;

  /**
   * @param router the whole router, read for the {@code Allow} header of a 405
   * @param retryAfterSeconds the {@code Retry-After} of a 503 that does not say its own
   */
  public ProblemHandler(Router router, int retryAfterSeconds) {
    this.allowed = new AllowedMethods(router);
    this.retryAfter = Integer.toString(retryAfterSeconds);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // Too late for a problem body: the answer has started. Close it so the client notices.
      ctx.response().reset();
      return;
    }
    String requestId = RequestContext.from(ctx).requestId();
    ProblemException problem = toProblem(ctx.failure(), ctx.statusCode());
    log(ctx, problem, ctx.failure(), requestId);
    JsonObject body = body(problem, ctx.request().path(), requestId);
    for (Map.Entry<String, String> header : problem.headers().entrySet()) {
      ctx.response().putHeader(header.getKey(), header.getValue());
    }
    if (problem.status() == 503 && !problem.headers().containsKey("Retry-After")) {
      ctx.response().putHeader("Retry-After", retryAfter);
    }
    if (problem.status() == 405) {
      ctx.response().putHeader("Allow", String.join(", ", allowed.of(ctx.request().path())));
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body.toBuffer());
  }

  /** The RFC 9457 body of a problem. */
  static JsonObject body(ProblemException problem, String instance, String requestId) {
    JsonObject body =
        new JsonObject()
            .put("type", "/problems/" + problem.type())
            .put("title", problem.title())
            .put("status", problem.status())
            .put("detail", problem.detail());
    if (instance != null) {
      body.put("instance", instance);
    }
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    if (!problem.errors().isEmpty()) {
      JsonArray errors = new JsonArray();
      for (FieldError e : problem.errors()) {
        errors.add(
            new JsonObject()
                .put("field", e.field())
                .put("code", e.code())
                .put("detail", e.message()));
      }
      body.put("errors", errors);
    }
    return body;
  }

  /**
   * For the server's invalid-request handler: a request HTTP could not even parse (a bad request
   * line, a header line too long, a URI too long) gets a problem too, and its connection closed.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    ProblemException problem =
        status == 400
            ? ProblemException.badRequest("The request could not be read.")
            : generic(status);
    LOG.debug(
        "invalid request -> {}: {}", status, cause == null ? null : cause.getClass().getName());
    refuse(request, problem);
  }

  /**
   * Answers, outside the router, a request refused before it could be routed, and closes its
   * connection: what else the client sends on it cannot be trusted to be framed right.
   */
  static void refuse(HttpServerRequest request, ProblemException problem) {
    request
        .response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(body(problem, null, null).toBuffer())
        .onComplete(done -> request.connection().close());
  }

  private static ProblemException toProblem(Throwable failure, int statusCode) {
    if (failure instanceof ProblemException problem) {
      return problem;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    if (failure == null || failure instanceof HttpException) {
      ProblemException known = forStatus(status);
      if (known != null) {
        return known;
      }
    }
    ProblemException fault = failure == null ? null : Faults.classify(failure);
    if (fault != null) {
      return fault;
    }
    // Anything else is a bug or an unexpected fault: say so without details.
    return new ProblemException(
        500,
        "internal-error",
        "Internal error",
        "The request could not be completed; quote the request id to support.");
  }

  private static void log(
      RoutingContext ctx, ProblemException problem, Throwable failure, String requestId) {
    if (problem.status() < 500) {
      if (problem.logReason() != null && LOG.isInfoEnabled()) {
        LOG.info(
            "{} {} -> {} {}: {} (request {})",
            ctx.request().method(),
            ctx.request().path(),
            problem.status(),
            problem.type(),
            problem.logReason(),
            requestId);
      } else if (LOG.isDebugEnabled()) {
        LOG.debug(
            "{} {} -> {} {} (request {})",
            ctx.request().method(),
            ctx.request().path(),
            problem.status(),
            problem.type(),
            requestId);
      }
      return;
    }
    // The real fault: the problem's cause, or whatever failed when it was not a problem.
    Throwable cause = failure == problem ? problem.getCause() : failure;
    LOG.atLevel(problem.status() == 500 ? Level.ERROR : Level.WARN)
        .log(
            "{} {} -> {} {}{} (request {})",
            ctx.request().method(),
            ctx.request().path(),
            problem.status(),
            problem.type(),
            describe(cause, problem.logReason()),
            requestId);
  }

  /** The cause chain by type and message, never a stack trace; else the problem's own reason. */
  private static String describe(Throwable cause, String logReason) {
    if (cause == null) {
      return logReason == null ? "" : ": " + logReason;
    }
    StringBuilder out = new StringBuilder(": ");
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 4; t = t.getCause(), depth++) {
      if (depth > 0) {
        out.append(" <- ");
      }
      out.append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return out.toString();
  }

  private static ProblemException forStatus(int status) {
    return switch (status) {
      case 400 -> ProblemException.badRequest("The request could not be read.");
      case 404 -> ProblemException.notFound("No resource at this path.");
      case 405 ->
          new ProblemException(
              405,
              "method-not-allowed",
              "Method not allowed",
              "This resource does not accept this method.");
      case 413 ->
          new ProblemException(
              413,
              "payload-too-large",
              "Payload too large",
              "The request body is larger than this service accepts.");
      case 415 ->
          new ProblemException(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json.");
      case 503 ->
          ProblemException.unavailable(
              "The service is temporarily unavailable; retry later.", null);
      default -> status >= 400 && status < 500 ? generic(status) : null;
    };
  }

  /** Any other client error the HTTP stack or a handler names by its status alone (417, 431...). */
  private static ProblemException generic(int status) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String type = reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return new ProblemException(status, type, reason, reason + ".");
  }
}
