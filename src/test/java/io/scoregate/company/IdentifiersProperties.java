package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class IdentifiersProperties {

  @Provide
  Arbitrary<String> sirens() {
    return Arbitraries.strings().numeric().ofLength(8).map(b -> b + Identifiers.luhnCheckDigit(b));
  }

  @Provide
  Arbitrary<String> sirets() {
    return sirens()
        .filter(s -> !s.equals("356000000"))
        .flatMap(
            siren ->
                Arbitraries.strings()
                    .numeric()
                    .ofLength(4)
                    .map(nic -> siren + nic + Identifiers.luhnCheckDigit(siren + nic)));
  }

  @Provide
  Arbitrary<String> kbos() {
    return Arbitraries.strings()
        .numeric()
        .ofLength(7)
        .flatMap(b -> Arbitraries.of("0", "1").map(first -> Identifiers.kboWithCheck(first + b)));
  }

  @Provide
  Arbitrary<String> partiteIva() {
    return Arbitraries.strings().numeric().ofLength(10).map(b -> b + Identifiers.luhnCheckDigit(b));
  }

  @Provide
  Arbitrary<String> leis() {
    return Arbitraries.strings()
        .withCharRange('0', '9')
        .withCharRange('A', 'Z')
        .ofLength(18)
        .map(Identifiers::leiWithCheck);
  }

  @Property
  void generatedSirensParseToThemselves(@ForAll("sirens") String siren) {
    assertThat(Identifiers.parse("FR", siren).nationalId()).isEqualTo(siren);
  }

  @Property
  void generatedSiretsResolveToTheirSiren(@ForAll("sirets") String siret) {
    assertThat(Identifiers.parse("FR", siret).nationalId()).isEqualTo(siret.substring(0, 9));
  }

  @Property
  void generatedKbosParse(@ForAll("kbos") String kbo) {
    assertThat(Identifiers.parse("BE", kbo).nationalId()).isEqualTo(kbo);
  }

  @Property
  void generatedPartiteIvaParse(@ForAll("partiteIva") String piva) {
    assertThat(Identifiers.parse("IT", piva).nationalId()).isEqualTo(piva);
  }

  @Property
  void generatedLeisParse(@ForAll("leis") String lei) {
    assertThat(Identifiers.parseLei(lei)).isEqualTo(lei);
  }

  @Property
  void anySingleDigitChangeOfASirenIsRejected(
      @ForAll("sirens") String siren,
      @ForAll @IntRange(min = 0, max = 8) int position,
      @ForAll @IntRange(min = 1, max = 9) int delta) {
    String corrupted = replaceDigit(siren, position, delta);
    assertThatThrownBy(() -> Identifiers.parse("FR", corrupted))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Property
  void anySingleDigitChangeOfAKboIsRejected(
      @ForAll("kbos") String kbo,
      @ForAll @IntRange(min = 1, max = 9) int position,
      @ForAll @IntRange(min = 1, max = 9) int delta) {
    String corrupted = replaceDigit(kbo, position, delta);
    assertThatThrownBy(() -> Identifiers.parse("BE", corrupted))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Property
  void anySingleCharacterChangeOfAnLeiIsRejected(
      @ForAll("leis") String lei,
      @ForAll @IntRange(min = 0, max = 19) int position,
      @ForAll @IntRange(min = 1, max = 9) int delta) {
    Assume.that(Character.isDigit(lei.charAt(position)));
    assertThatThrownBy(() -> Identifiers.parseLei(replaceDigit(lei, position, delta)))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  /**
   * Luhn catches every swap of two adjacent different digits except 0 and 9 (09 <-> 90), its known
   * blind spot.
   */
  @Property
  void adjacentTranspositionsAreRejectedExceptLuhnsBlindSpot(
      @ForAll("sirens") String siren, @ForAll @IntRange(min = 0, max = 7) int position) {
    char a = siren.charAt(position);
    char b = siren.charAt(position + 1);
    Assume.that(a != b);
    String swapped = siren.substring(0, position) + b + a + siren.substring(position + 2);
    boolean blindSpot = (a == '0' && b == '9') || (a == '9' && b == '0');
    if (blindSpot) {
      assertThat(Identifiers.parse("FR", swapped).nationalId()).isEqualTo(swapped);
    } else {
      assertThatThrownBy(() -> Identifiers.parse("FR", swapped))
          .isInstanceOf(InvalidIdentifierException.class);
    }
  }

  @Property
  void arbitraryInputOnlyEverFailsAsAnInvalidIdentifier(
      @ForAll String country, @ForAll String raw) {
    try {
      CompanyKey key = Identifiers.parse(country, raw);
      assertThat(key.nationalId()).isNotBlank();
    } catch (InvalidIdentifierException expected) {
      assertThat(expected.code()).isIn("format", "checksum", "unsupported_country");
    }
  }

  private static String replaceDigit(String s, int position, int delta) {
    char c = s.charAt(position);
    char replaced = (char) ('0' + (c - '0' + delta) % 10);
    return s.substring(0, position) + replaced + s.substring(position + 1);
  }
}
