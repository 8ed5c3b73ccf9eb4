package io.scoregate.http;

import java.util.List;

/**
 * A failure that a client must see as an RFC 9457 problem. Handlers throw or {@code ctx.fail} with
 * these; only {@link ProblemHandler} writes them.
 */
public abstract sealed class ApiProblem extends RuntimeException
    permits ApiProblem.Invalid, ApiProblem.Status {

  private final int status;
  private final String type;
  private final String title;

  private ApiProblem(int status, String type, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public int status() {
    return status;
  }

  /** A short slug; the problem's {@code type} URI is {@code /problems/<slug>}. */
  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** One field that failed validation. */
  public record FieldError(String field, String code, String message) {}

  /** 422: the request was understood but some fields are not acceptable. */
  public static final class Invalid extends ApiProblem {
    private final List<FieldError> errors;

    public Invalid(List<FieldError> errors) {
      super(
          422,
          "validation-error",
          "Your request parameters didn't validate.",
          errors.size() == 1
              ? errors.get(0).message()
              : errors.size() + " fields are invalid: see errors.");
      this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** Any other status with its type and a detail for people. */
  public static final class Status extends ApiProblem {
    public Status(int status, String type, String title, String detail) {
      super(status, type, title, detail);
    }
  }

  public static ApiProblem badRequest(String detail) {
    return new Status(400, "malformed-request", "Malformed request", detail);
  }

  public static ApiProblem notFound(String detail) {
    return new Status(404, "not-found", "Not found", detail);
  }

  public static ApiProblem unavailable(String detail) {
    return new Status(503, "service-unavailable", "Service unavailable", detail);
  }
}
