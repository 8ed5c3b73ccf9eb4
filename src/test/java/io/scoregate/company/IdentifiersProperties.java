package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of the identifier checks on generated identifiers (QuickTheories, 1,000 cases). */
class IdentifiersProperties {

  private static final int EXAMPLES = 1000;
  private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** {@code length} decimal digits, leading zeros included. */
  private static Gen<String> digits(int length) {
    return strings().betweenCodePoints('0', '9').ofLength(length);
  }

  private static Gen<String> sirens() {
    return digits(8).map(b -> b + Identifiers.luhnCheckDigit(b));
  }

  private static Gen<String> sirets() {
    return sirens()
        .assuming(s -> !s.equals("356000000"))
        .zip(digits(4), (siren, nic) -> siren + nic + Identifiers.luhnCheckDigit(siren + nic));
  }

  private static Gen<String> kbos() {
    return digits(7)
        .zip(Generate.pick(List.of("0", "1")), (b, first) -> Identifiers.kboWithCheck(first + b));
  }

  private static Gen<String> partiteIva() {
    return digits(10).map(b -> b + Identifiers.luhnCheckDigit(b));
  }

  private static Gen<String> leis() {
    return lists()
        .of(integers().between(0, ALPHANUMERIC.length() - 1))
        .ofSize(18)
        .map(
            indexes -> {
              StringBuilder base = new StringBuilder(18);
              indexes.forEach(i -> base.append(ALPHANUMERIC.charAt(i)));
              return Identifiers.leiWithCheck(base.toString());
            });
  }

  @Test
  void generatedSirensParseToThemselves() {
    qt().withExamples(EXAMPLES)
        .forAll(sirens())
        .checkAssert(s -> assertThat(Identifiers.parse("FR", s).nationalId()).isEqualTo(s));
  }

  @Test
  void generatedSiretsResolveToTheirSiren() {
    qt().withExamples(EXAMPLES)
        .forAll(sirets())
        .checkAssert(
            s -> assertThat(Identifiers.parse("FR", s).nationalId()).isEqualTo(s.substring(0, 9)));
  }

  @Test
  void generatedKbosParse() {
    qt().withExamples(EXAMPLES)
        .forAll(kbos())
        .checkAssert(kbo -> assertThat(Identifiers.parse("BE", kbo).nationalId()).isEqualTo(kbo));
  }

  @Test
  void generatedPartiteIvaParse() {
    qt().withExamples(EXAMPLES)
        .forAll(partiteIva())
        .checkAssert(p -> assertThat(Identifiers.parse("IT", p).nationalId()).isEqualTo(p));
  }

  @Test
  void generatedLeisParse() {
    qt().withExamples(EXAMPLES)
        .forAll(leis())
        .checkAssert(lei -> assertThat(Identifiers.parseLei(lei)).isEqualTo(lei));
  }

  @Test
  void anySingleDigitChangeOfASirenIsRejected() {
    qt().withExamples(EXAMPLES)
        .forAll(sirens(), integers().between(0, 8), integers().between(1, 9))
        .checkAssert(
            (siren, position, delta) ->
                assertThatThrownBy(
                        () -> Identifiers.parse("FR", replaceDigit(siren, position, delta)))
                    .isInstanceOf(InvalidIdentifierException.class));
  }

  @Test
  void anySingleDigitChangeOfAKboIsRejected() {
    qt().withExamples(EXAMPLES)
        .forAll(kbos(), integers().between(1, 9), integers().between(1, 9))
        .checkAssert(
            (kbo, position, delta) ->
                assertThatThrownBy(
                        () -> Identifiers.parse("BE", replaceDigit(kbo, position, delta)))
                    .isInstanceOf(InvalidIdentifierException.class));
  }

  @Test
  void anySingleCharacterChangeOfAnLeiIsRejected() {
    // A digit position of the LEI: there is always one, its two check digits.
    Gen<Map.Entry<String, Integer>> leiAndDigit =
        leis().flatMap(lei -> Generate.pick(digitPositions(lei)).map(p -> Map.entry(lei, p)));
    qt().withExamples(EXAMPLES)
        .forAll(leiAndDigit, integers().between(1, 9))
        .checkAssert(
            (at, delta) ->
                assertThatThrownBy(
                        () -> Identifiers.parseLei(replaceDigit(at.getKey(), at.getValue(), delta)))
                    .isInstanceOf(InvalidIdentifierException.class));
  }

  private static List<Integer> digitPositions(String s) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        positions.add(i);
      }
    }
    return positions;
  }

  /**
   * Luhn catches every swap of two adjacent different digits except 0 and 9 (09 <-> 90), its known
   * blind spot.
   */
  @Test
  void adjacentTranspositionsAreRejectedExceptLuhnsBlindSpot() {
    qt().withExamples(EXAMPLES)
        .forAll(sirens(), integers().between(0, 7))
        .assuming((siren, position) -> siren.charAt(position) != siren.charAt(position + 1))
        .checkAssert(
            (siren, position) -> {
              char a = siren.charAt(position);
              char b = siren.charAt(position + 1);
              String swapped = siren.substring(0, position) + b + a + siren.substring(position + 2);
              boolean blindSpot = (a == '0' && b == '9') || (a == '9' && b == '0');
              if (blindSpot) {
                assertThat(Identifiers.parse("FR", swapped).nationalId()).isEqualTo(swapped);
              } else {
                assertThatThrownBy(() -> Identifiers.parse("FR", swapped))
                    .isInstanceOf(InvalidIdentifierException.class);
              }
            });
  }

  @Test
  void arbitraryInputOnlyEverFailsAsAnInvalidIdentifier() {
    // Any text, mixed with the supported countries and digit strings so that parsing goes deep.
    Gen<String> country =
        strings()
            .allPossible()
            .ofLengthBetween(0, 8)
            .mix(Generate.pick(List.of("FR", "BE", "IT", "ES", "GB", "fr", "be")), 50);
    Gen<String> raw =
        strings()
            .allPossible()
            .ofLengthBetween(0, 255)
            .mix(strings().betweenCodePoints(' ', '9').ofLengthBetween(0, 20), 50);
    qt().withExamples(EXAMPLES)
        .forAll(country, raw)
        .checkAssert(
            (c, r) -> {
              try {
                assertThat(Identifiers.parse(c, r).nationalId()).isNotBlank();
              } catch (InvalidIdentifierException expected) {
                assertThat(expected.code()).isIn("format", "checksum", "unsupported_country");
              }
            });
  }

  private static String replaceDigit(String s, int position, int delta) {
    char c = s.charAt(position);
    char replaced = (char) ('0' + (c - '0' + delta) % 10);
    return s.substring(0, position) + replaced + s.substring(position + 1);
  }
}
