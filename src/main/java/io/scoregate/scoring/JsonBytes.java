package io.scoregate.scoring;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Appends JSON to a buffer, value by value, encoding each exactly as Jackson's generator does
 * (strings escaped by Jackson's own encoder, numbers as Java writes them, non-finite doubles as
 * strings), without the generator's own buffers and the copies out of them. The caller writes the
 * punctuation: it is for documents whose layout is fixed, such as a decision's answer.
 */
final class JsonBytes {

  private static final byte[] NULL = bytes("null");

  private final Buffer buffer;

  JsonBytes(int sizeHint) {
    this.buffer = Buffer.buffer(sizeHint);
  }

  /** The bytes of a run of JSON that holds only ASCII (names, punctuation). */
  static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  /** A string as a JSON value, quoted and escaped; {@code null} for null. */
  static byte[] quoted(String value) {
    return new JsonBytes(value == null ? 4 : value.length() + 8).string(value).buffer.getBytes();
  }

  Buffer buffer() {
    return buffer;
  }

  /** What was written, as bytes of its own. */
  byte[] toBytes() {
    return buffer.getBytes();
  }

  JsonBytes raw(byte[] json) {
    buffer.appendBytes(json);
    return this;
  }

  JsonBytes comma() {
    buffer.appendByte((byte) ',');
    return this;
  }

  JsonBytes end(char c) {
    buffer.appendByte((byte) c);
    return this;
  }

  JsonBytes string(String value) {
    if (value == null) {
      return raw(NULL);
    }
    buffer.appendByte((byte) '"');
    if (plain(value)) {
      buffer.appendBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    } else {
      buffer.appendBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
    }
    buffer.appendByte((byte) '"');
    return this;
  }

  JsonBytes number(long value) {
    return raw(bytes(Long.toString(value)));
  }

  JsonBytes number(double value) {
    // Jackson writes NaN and the infinities as strings (WRITE_NAN_AS_STRINGS, on by default).
    return Double.isFinite(value)
        ? raw(bytes(Double.toString(value)))
        : string(Double.toString(value));
  }

  /** A boxed number as Jackson writes it: an integer as such, anything else as a double. */
  JsonBytes numberOrNull(Number value) {
    if (value == null) {
      return raw(NULL);
    }
    return value instanceof Integer i ? number((long) i) : number(value.doubleValue());
  }

  /** A reason with the members of {@link EncodedAssessment#reason}, in its order. */
  JsonBytes reason(ScoreReason r) {
    raw(CODE).string(r.code());
    if (r.feature() != null) {
      raw(FEATURE).string(r.feature());
    }
    if (r.value() != null) {
      raw(VALUE).number(r.value());
    }
    if (r.contribution() != null) {
      raw(CONTRIBUTION).number(Math.round(r.contribution() * 10000) / 10000.0);
    }
    return raw(TEXT).string(r.text()).raw(TEXT_FR).string(r.textFr()).end('}');
  }

  private static final byte[] CODE = bytes("{\"code\":");
  private static final byte[] FEATURE = bytes(",\"feature\":");
  private static final byte[] VALUE = bytes(",\"value\":");
  private static final byte[] CONTRIBUTION = bytes(",\"contribution\":");
  private static final byte[] TEXT = bytes(",\"text\":");
  private static final byte[] TEXT_FR = bytes(",\"text_fr\":");

  /** Printable ASCII that JSON does not escape: its bytes are its chars. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
