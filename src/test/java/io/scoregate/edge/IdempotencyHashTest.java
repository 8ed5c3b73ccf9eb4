package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The body hash behind Idempotency-Key: RFC 8785 canonical form, one hash per meaning. */
class IdempotencyHashTest {

  private static byte[] hash(String json) {
    return IdempotencyService.hash(new JsonObject(json));
  }

  @Test
  void aNestedObjectAndAStringHoldingItsJsonDiffer() {
    assertThat(hash("{\"a\":{\"b\":1}}")).isNotEqualTo(hash("{\"a\":\"{\\\"b\\\":1}\"}"));
    assertThat(hash("{\"a\":[1,2]}")).isNotEqualTo(hash("{\"a\":\"[1,2]\"}"));
    assertThat(hash("{\"a\":[{\"b\":1}]}")).isNotEqualTo(hash("{\"a\":[\"{\\\"b\\\":1}\"]}"));
  }

  @Test
  void keyOrderSpacingAndNumberSpellingDoNotMatter() {
    assertThat(hash("{\"b\":{\"y\":1,\"x\":2},\"a\":1}"))
        .isEqualTo(hash("{ \"a\" : 1, \"b\" : { \"x\" : 2, \"y\" : 1 } }"));
    assertThat(hash("{\"amount\":1000}")).isEqualTo(hash("{\"amount\":1000.0}"));
    assertThat(hash("{\"amount\":1000}")).isEqualTo(hash("{\"amount\":1e3}"));
    assertThat(hash("{\"s\":\"\\u00e9\"}")).isEqualTo(hash("{\"s\":\"é\"}"));
  }

  @Test
  void differentValuesDiffer() {
    assertThat(hash("{\"amount\":1000}")).isNotEqualTo(hash("{\"amount\":1001}"));
    assertThat(hash("{\"a\":1}")).isNotEqualTo(hash("{\"a\":\"1\"}"));
    assertThat(hash("{\"a\":null}")).isNotEqualTo(hash("{}"));
  }

  @Test
  void theCanonicalFormIsRfc8785s() throws Exception {
    // RFC 8785 section 3.2.3's sorting example: keys by UTF-16 code units.
    String input =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet"
            + " With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\","
            + "\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    String expected =
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small"
            + " Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning"
            + " Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
    assertThat(IdempotencyService.hash(new JsonObject(input)))
        .isEqualTo(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
