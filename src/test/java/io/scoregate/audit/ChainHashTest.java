package io.scoregate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainHashTest {

  private static final RecordEntry ENTRY =
      new RecordEntry(
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
    RecordEntry otherRecord = withRecord("{\"score\":73}");
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, otherRecord)).isNotEqualTo(base);
  }

  @Test
  void fieldsCannotBeShiftedFromOneColumnToTheNext() {
    RecordEntry a =
        new RecordEntry(
            ENTRY.decisionId(),
            ENTRY.createdAt(),
            "ab",
            "c",
            "FR",
            "000000018",
            "1",
            "p",
            utf8("{}"));
    RecordEntry b =
        new RecordEntry(
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
    RecordEntry entry = withRecord("{\"score\":72,\"text_fr\":\"L'entreprise a cessé\"}");
    assertThat(HexFormat.of().formatHex(ChainHash.of(ChainHash.GENESIS, "w1", 1, entry)))
        .isEqualTo("77c20a7bc565d77c22e677561402ef581fdc13cbaf8fd9a72b1a5f1ebc7c38a3");
  }

  private static RecordEntry withRecord(String json) {
    return new RecordEntry(
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

  private static final JournalEntry BY_REFERENCE =
      new JournalEntry(
          ENTRY.decisionId(),
          ENTRY.createdAt(),
          "default",
          "req-1",
          "FR",
          "000000018",
          "1.0.0",
          "policy-2026.11",
          HexFormat.of()
              .parseHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
          Instant.parse("2026-06-15T09:59:00.5Z"),
          50000.0,
          60,
          "manual_review",
          20000,
          30,
          List.of("AMOUNT_ABOVE_LIMIT", "PAYMENT_TERM_ABOVE_LIMIT"),
          "G5_over_limit",
          90000.0,
          5000000.0);

  @Test
  void aRowByReferenceHashesItsAssessmentAndEveryOwnValue() {
    byte[] base = ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE)).isEqualTo(base);
    List<JournalEntry> changed =
        List.of(
            with(BY_REFERENCE, 8, HexFormat.of().parseHex("00".repeat(32))),
            with(BY_REFERENCE, 9, Instant.parse("2026-06-15T09:59:00.500001Z")),
            with(BY_REFERENCE, 10, 50000.5),
            with(BY_REFERENCE, 11, 61),
            with(BY_REFERENCE, 12, "accept"),
            with(BY_REFERENCE, 13, 20001L),
            with(BY_REFERENCE, 14, 31),
            with(BY_REFERENCE, 15, List.of("AMOUNT_ABOVE_LIMIT")),
            with(BY_REFERENCE, 15, List.of("PAYMENT_TERM_ABOVE_LIMIT", "AMOUNT_ABOVE_LIMIT")),
            with(BY_REFERENCE, 5, "000000026"),
            with(BY_REFERENCE, 7, "acme-2026-12-01.2"),
            with(BY_REFERENCE, 16, "G5"),
            with(BY_REFERENCE, 16, null),
            with(BY_REFERENCE, 17, 90000.5),
            with(BY_REFERENCE, 17, null),
            with(BY_REFERENCE, 18, 1000000.0),
            with(BY_REFERENCE, 18, null));
    for (JournalEntry e : changed) {
      assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, e)).isNotEqualTo(base);
    }
  }

  @Test
  void theByReferenceFormatsAreStableToo() {
    // Known answers, computed apart from this code (Python hashlib over the documented layouts):
    // a change of a format would break every chain written with it.
    assertThat(
            HexFormat.of()
                .formatHex(
                    ChainHash.of(
                        ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_1)))
        .isEqualTo("e469581c5205a171ec319bd6dc860294cf2fe026007e2681d2e212b4bab31768");
    assertThat(
            HexFormat.of()
                .formatHex(
                    ChainHash.of(
                        ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_2)))
        .isEqualTo("26e8643cb11be4e01f124103b5abf9112fddd02402888f6a71c9b9132c691265");
    assertThat(
            HexFormat.of()
                .formatHex(
                    ChainHash.of(
                        ChainHash.GENESIS,
                        "w1",
                        1,
                        with(BY_REFERENCE, 16, null),
                        ChainHash.BY_REFERENCE_2)))
        .isEqualTo("0a32e40b337d5f978a57d3a0176b1fe7f5e0d9781df023575081e59239aca06c");
    assertThat(HexFormat.of().formatHex(ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE)))
        .isEqualTo("122fcbe86e897eb70d4198f64f482182323c00f7e64b7a755559abdde44e3b79");
    assertThat(
            HexFormat.of()
                .formatHex(ChainHash.of(ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 17, null))))
        .isEqualTo("00f42dc1d5d2220d7c78b0df424f4a4f947b8f87768c28b5b0407cf2849bd9fe");
  }

  @Test
  void formatThreeCoversTheExposureReadAndTheCapInForceAndTheOlderOnesNeither() {
    byte[] v3 = ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE);
    byte[] v2 = ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_2);
    assertThat(v3).isNotEqualTo(v2);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_3))
        .isEqualTo(v3);
    // Rows of /2 verify whatever the new columns hold (journal verify reports them if set).
    JournalEntry without = with(with(BY_REFERENCE, 17, null), 18, null);
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, without, ChainHash.BY_REFERENCE_2))
        .isEqualTo(v2);
    // No exposure read and an exposure of 0 hash apart.
    assertThat(ChainHash.of(ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 17, null)))
        .isNotEqualTo(ChainHash.of(ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 17, 0.0)));
  }

  @Test
  void theFormatsHashApartAndOnlyTheNewOneCoversTheDecidingRule() {
    byte[] v1 = ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_1);
    byte[] v2 = ChainHash.of(ChainHash.GENESIS, "w1", 1, BY_REFERENCE, ChainHash.BY_REFERENCE_2);
    assertThat(v1).isNotEqualTo(v2);
    // Format /1 predates the rule's column: rows written in it verify whatever the column holds.
    assertThat(
            ChainHash.of(
                ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 16, "G9"), ChainHash.BY_REFERENCE_1))
        .isEqualTo(v1);
    // No rule and an empty id hash apart.
    assertThat(
            ChainHash.of(
                ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 16, null), ChainHash.BY_REFERENCE_2))
        .isNotEqualTo(
            ChainHash.of(
                ChainHash.GENESIS, "w1", 1, with(BY_REFERENCE, 16, ""), ChainHash.BY_REFERENCE_2));
  }

  /** {@code e} with its component {@code index} replaced. */
  private static JournalEntry with(JournalEntry e, int index, Object value) {
    Object[] c = {
      e.decisionId(),
      e.createdAt(),
      e.tenantId(),
      e.requestId(),
      e.country(),
      e.nationalId(),
      e.modelVersion(),
      e.policyVersion(),
      e.assessmentHash(),
      e.scoredAt(),
      e.amount(),
      e.paymentTerm(),
      e.recommendation(),
      e.maxAmount(),
      e.maxPaymentTerm(),
      e.policyReasons(),
      e.policyRule(),
      e.exposure(),
      e.amountCap()
    };
    c[index] = value;
    @SuppressWarnings("unchecked")
    List<String> reasons = (List<String>) c[15];
    return new JournalEntry(
        (UUID) c[0],
        (Instant) c[1],
        (String) c[2],
        (String) c[3],
        (String) c[4],
        (String) c[5],
        (String) c[6],
        (String) c[7],
        (byte[]) c[8],
        (Instant) c[9],
        (double) c[10],
        (int) c[11],
        (String) c[12],
        (long) c[13],
        (int) c[14],
        reasons,
        (String) c[16],
        (Double) c[17],
        (Double) c[18]);
  }

  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
