package io.scoregate.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure that a client sees as an RFC 9457 problem: it carries its own HTTP status, problem type
 * (a slug: the {@code type} URI is {@code /problems/<slug>}), title and detail, the headers its
 * answer needs ({@code Retry-After}, {@code WWW-Authenticate}...), and for the operator's log only
 * a cause and a reason that the client never sees. Any unit throws or {@code ctx.fail}s these; the
 * one failure handler in {@code http} renders them without knowing the unit.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final Map<String, String> headers;
  private final String logReason;

  public ProblemException(int status, String type, String title, String detail) {
    this(status, type, title, detail, Map.of(), null, null);
  }

  /**
   * @param headers written on the answer, in this order
   * @param logReason why, for the log only (e.g. why a token was refused); may be null
   * @param cause the real fault behind a generic answer, logged with the request id; may be null
   */
  public ProblemException(
      int status,
      String type,
      String title,
      String detail,
      Map<String, String> headers,
      String logReason,
      Throwable cause) {
    // No stack trace: a problem is an answer, and a trace never reaches a client or a log line.
    super(detail, cause, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
    }
    this.status = status;
    this.type = type;
    this.title = title;
    this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.logReason = logReason;
  }

  public final int status() {
    return status;
  }

  /** A short slug; the problem's {@code type} URI is {@code /problems/<slug>}. */
  public final String type() {
    return type;
  }

  public final String title() {
    return title;
  }

  /** For people; names what is wrong, never internals. */
  public final String detail() {
    return getMessage();
  }

  /** Headers the answer carries. */
  public final Map<String, String> headers() {
    return headers;
  }

  /** Why, for the log only; null when the detail says it all. */
  public final String logReason() {
    return logReason;
  }

  /** The fields that failed validation; empty unless this is a {@link ValidationException}. */
  public List<FieldError> errors() {
    return List.of();
  }

  /** 400: the request cannot be read. */
  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "malformed-request", "Malformed request", detail);
  }

  /** 404: no such object, or one the caller may not see (another tenant's). */
  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail);
  }

  /** 409: the request contradicts the current state. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "conflict", "Conflict", detail);
  }

  /**
   * 503: a dependency failed. The client gets the generic detail; the cause goes to the log with
   * the request id.
   */
  public static ProblemException unavailable(String detail, Throwable cause) {
    return new ProblemException(
        503, "service-unavailable", "Service unavailable", detail, Map.of(), null, cause);
  }
}
