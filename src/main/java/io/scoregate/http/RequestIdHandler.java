package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is short and plain, else a
 * new one. It is echoed in the response and recorded in logs and the decision journal.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (!acceptable(id)) {
      id = newId();
    }
    RequestContext.start(ctx, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  private static String newId() {
    long bits = ThreadLocalRandom.current().nextLong();
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
    return new String(out);
  }
}
