package io.scoregate.webhook;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first bytes of a response body and drops the rest, so that an endpoint answering a huge
 * body costs no memory.
 */
final class Excerpt implements WriteStream<Buffer> {

  private final int max;
  private final Buffer kept = Buffer.buffer();

  Excerpt(int max) {
    this.max = max;
  }

  /** The kept bytes as text, cut back to whole UTF-8 characters. */
  String text() {
    String s = kept.toString(StandardCharsets.UTF_8);
    while (s.getBytes(StandardCharsets.UTF_8).length > max && !s.isEmpty()) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  @Override
  public Future<Void> write(Buffer data) {
    int room = max - kept.length();
    if (room > 0) {
      kept.appendBuffer(data, 0, Math.min(room, data.length()));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
