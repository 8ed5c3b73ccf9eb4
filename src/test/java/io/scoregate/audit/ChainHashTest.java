package io.scoregate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainHashTest {

  private static final JournalEntry ENTRY =
      new JournalEntry(
          UUID.fromString("0190f3a0-0000-7000-8000-000000000001"),
          Instant.parse("2026-06-15T10:00:00.123456Z"),
          "default",
          "req-1",
          "FR",
          "000000018",
          "1.0.0",
          "policy-2026.11",
          utf8("{\"score\":72}"));

  @Test
  void theHashDependsOnThePreviousHashAndEveryColumn() {
    byte[] base = ChainHash.of(ChainHash.GENESIS, "w1", 1, ENTRY);
    assertThat(base).hasSize(32);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, ENTRY)).isEqualTo(base);
    assertThat(ChainHash.of(base, "w1", 1, ENTRY)).isNotEqualTo(base);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w2", 1, ENTRY)).isNotEqualTo(base);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 2, ENTRY)).isNotEqualTo(base);
    JournalEntry otherRecord = withRecord("{\"score\":73}");
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, otherRecord)).isNotEqualTo(base);
  }

  @Test
  void fieldsCannotBeShiftedFromOneColumnToTheNext() {
    JournalEntry a =
        new JournalEntry(
            ENTRY.decisionId(),
            ENTRY.createdAt(),
            "ab",
            "c",
            "FR",
            "000000018",
            "1",
            "p",
            utf8("{}"));
    JournalEntry b =
        new JournalEntry(
            ENTRY.decisionId(),
            ENTRY.createdAt(),
            "a",
            "bc",
            "FR",
            "000000018",
            "1",
            "p",
            utf8("{}"));
    assertThat(ChainHash.of(ChainHash.GENESIS, "w", 1, a))
        .isNotEqualTo(ChainHash.of(ChainHash.GENESIS, "w", 1, b));
  }

  @Test
  void decisionIdsAreVersion7TimeOrderedAndUnique() {
    DecisionIds ids =
        new DecisionIds(Clock.fixed(Instant.parse("2026-06-15T10:00:00Z"), ZoneOffset.UTC));
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      UUID id = ids.next();
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(id.getMostSignificantBits() >>> 16)
          .isEqualTo(Instant.parse("2026-06-15T10:00:00Z").toEpochMilli());
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void theHashFormatIsStableSoRowsWrittenEarlierStillVerify() {
    // Computed by the implementation that wrote the first journals (records as Java strings).
    JournalEntry entry = withRecord("{\"score\":72,\"text_fr\":\"L'entreprise a cessé\"}");
    assertThat(HexFormat.of().formatHex(ChainHash.of(ChainHash.GENESIS, "w1", 1, entry)))
        .isEqualTo("77c20a7bc565d77c22e677561402ef581fdc13cbaf8fd9a72b1a5f1ebc7c38a3");
  }

  private static JournalEntry withRecord(String json) {
    return new JournalEntry(
        ENTRY.decisionId(),
        ENTRY.createdAt(),
        ENTRY.tenantId(),
        ENTRY.requestId(),
        ENTRY.country(),
        ENTRY.nationalId(),
        ENTRY.modelVersion(),
        ENTRY.policyVersion(),
        utf8(json));
  }

  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
