package io.scoregate.batch;

/** A line that cannot be read as a record at all: the whole submission is refused. */
final class MalformedLineException extends RuntimeException {

  private final long line;

  MalformedLineException(long line, String message) {
    super(message, null, false, false);
    this.line = line;
  }

  long line() {
    return line;
  }
}
