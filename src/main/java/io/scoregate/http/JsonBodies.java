package io.scoregate.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.scoregate.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Reads JSON request bodies and writes JSON answers. */
public final class JsonBodies {

  /**
   * RFC 8259 JSON and nothing more: no comments (Vert.x's own parser accepts them), no duplicate
   * keys (which of two values would a field be?), nothing after the value. Integers beyond 64 bits
   * stay {@link BigInteger}s, so that a range check sees them whole and never a wrapped value.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /** Where a request keeps its body once parsed. */
  private static final String PARSED = JsonBodies.class.getName() + ".object";

  private JsonBodies() {}

  /**
   * The value as a whole number if it is one that fits in a {@code long} exactly; else null (a
   * fraction, an integer beyond 64 bits, anything not a number). Never wraps.
   */
  public static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? big.longValue() : null;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * The body as a JSON object, or a 400 problem when it is empty or not a JSON object. Parsed once
   * per request: the contract check and the route read the same object.
   */
  public static JsonObject object(RoutingContext ctx) {
    JsonObject parsed = ctx.get(PARSED);
    if (parsed != null) {
      return parsed;
    }
    if (ctx.body().isEmpty()) {
      throw ProblemException.badRequest("The request body is empty; send a JSON object.");
    }
    parsed = object(ctx.body().buffer());
    ctx.put(PARSED, parsed);
    return parsed;
  }

  /** These bytes as a JSON object, or a 400 problem when they are not one. */
  public static JsonObject object(Buffer bytes) {
    try {
      Map<String, Object> body = STRICT.readValue(bytes.getBytes(), OBJECT);
      if (body == null) {
        throw ProblemException.badRequest("The request body must be a JSON object.");
      }
      if (holdsNul(body)) {
        throw ProblemException.badRequest(
            "The request body holds a NUL character (\\u0000), which no field may hold.");
      }
      return new JsonObject(body);
    } catch (IOException | DecodeException | ClassCastException e) {
      throw ProblemException.badRequest(
          "The request body is not a valid JSON object (RFC 8259: no comments, no duplicate"
              + " keys).");
    }
  }

  /**
   * Whether any key or string in a parsed JSON value holds U+0000: valid JSON, but text that
   * Postgres refuses to store, so it is refused at the door rather than deep in a transaction.
   */
  public static boolean holdsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\u0000') >= 0;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (holdsNul(e.getKey()) || holdsNul(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof java.util.List<?> list) {
      for (Object item : list) {
        if (holdsNul(item)) {
          return true;
        }
      }
    }
    return false;
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, body);
  }

  /** A body already encoded as JSON. */
  public static void ok(RoutingContext ctx, Buffer json) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json);
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }
}
