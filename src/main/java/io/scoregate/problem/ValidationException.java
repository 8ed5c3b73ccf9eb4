package io.scoregate.problem;

import java.util.List;

/** 422: the request was understood but some fields are not acceptable; each one is named. */
public final class ValidationException extends ProblemException {

  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(
        422,
        "validation-error",
        "Your request parameters didn't validate.",
        errors.size() == 1
            ? errors.get(0).message()
            : errors.size() + " fields are invalid: see errors.");
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation problem names at least one field");
    }
    this.errors = List.copyOf(errors);
  }

  /** One invalid field. */
  public static ValidationException of(String field, String code, String message) {
    return new ValidationException(List.of(new FieldError(field, code, message)));
  }

  @Override
  public List<FieldError> errors() {
    return errors;
  }
}
