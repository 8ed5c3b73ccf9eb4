package io.scoregate.company;

/**
 * A company identifier that cannot be valid: wrong format, failed checksum, or a country whose
 * identifiers are not supported. {@link #code()} is stable for clients; the message is for people
 * and never repeats more than the identifier itself.
 */
public final class InvalidIdentifierException extends RuntimeException {

  private final String code;

  public InvalidIdentifierException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** {@code format}, {@code checksum} or {@code unsupported_country}. */
  public String code() {
    return code;
  }
}
