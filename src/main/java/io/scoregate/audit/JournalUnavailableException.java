package io.scoregate.audit;

/** The decision could not be made durable, so it must not be answered. */
public final class JournalUnavailableException extends RuntimeException {

  public JournalUnavailableException(String message) {
    super(message, null, false, false);
  }
}
