package io.scoregate.http;

import io.scoregate.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Refuses, before any route sees it, a request that HTTP itself calls malformed, with a 4xx problem
 * instead of letting it fail deeper as a 500:
 *
 * <ul>
 *   <li>an HTTP/1.1 request without exactly one non-empty {@code Host} (RFC 9112 3.2: 400), before
 *       the router, which cannot route it ({@link #hostRequired});
 *   <li>an {@code Expect} other than {@code 100-continue} (RFC 9110 10.1.1: 417);
 *   <li>a form body ({@code multipart/*}, {@code application/x-www-form-urlencoded}): the API reads
 *       JSON, NDJSON and CSV, and a form would only make the body handler decode it (415);
 *   <li>a path or query with a {@code %} not followed by two hex digits, or with a control
 *       character (raw or percent-encoded, {@code %00} among them: no text column takes it) (400).
 * </ul>
 */
public final class RequestGate implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    ProblemException refused = check(ctx.request());
    if (refused != null) {
      ctx.fail(refused);
    } else {
      ctx.next();
    }
  }

  /** Wraps the server's request handler: refuses an HTTP/1.1 request without one Host. */
  public static Handler<HttpServerRequest> hostRequired(Handler<HttpServerRequest> next) {
    return request -> {
      if (request.version() == HttpVersion.HTTP_1_1) {
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.size() != 1 || hosts.get(0).isBlank()) {
          ProblemHandler.refuse(
              request,
              ProblemException.badRequest("An HTTP/1.1 request needs exactly one Host header."));
          return;
        }
      }
      next.handle(request);
    };
  }

  static ProblemException check(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null && !"100-continue".equalsIgnoreCase(expect.trim())) {
      return new ProblemException(
          417,
          "expectation-failed",
          "Expectation failed",
          "The only expectation this service meets is Expect: 100-continue.");
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      String media = type.trim().toLowerCase(java.util.Locale.ROOT);
      if (media.startsWith("multipart/") || media.startsWith("application/x-www-form-urlencoded")) {
        return new ProblemException(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "Send the body as application/json (or as the NDJSON or CSV the route documents).");
      }
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    String problem = encodingProblem(path);
    if (problem != null) {
      return ProblemException.badRequest("The request path " + problem + ".");
    }
    problem = query < 0 ? null : encodingProblem(uri.substring(query + 1));
    if (problem != null) {
      return ProblemException.badRequest("The query string " + problem + ".");
    }
    return null;
  }

  /** What is wrong with the percent-encoding of this part of a URI, or null when nothing is. */
  static String encodingProblem(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%') {
        if (i + 2 >= part.length() || hex(part.charAt(i + 1)) < 0 || hex(part.charAt(i + 2)) < 0) {
          return "has a % that is not followed by two hexadecimal digits";
        }
        int decoded = hex(part.charAt(i + 1)) * 16 + hex(part.charAt(i + 2));
        if (decoded < 0x20 || decoded == 0x7F) {
          return "holds an encoded control character";
        }
        i += 2;
      } else if (c < 0x20 || c == 0x7F) {
        return "holds a control character";
      }
    }
    return null;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
