package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000000018",
        "000000026",
        "000000034",
        "000000042",
        "000000059",
        "000000067",
        "000000075",
        "000000083",
        "732829320",
        "552100554",
        "542051180"
      })
  void validSirensParseToThemselves(String siren) {
    assertThat(Identifiers.parse("FR", siren)).isEqualTo(new CompanyKey("FR", siren));
  }

  @Test
  void theBrochureExampleFailsItsChecksum() {
    assertThatThrownBy(() -> Identifiers.parse("FR", "123456789"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("checksum"))
        .hasMessageContaining("123456789");
  }

  @Test
  void aSiretResolvesToItsCompany() {
    assertThat(Identifiers.parse("FR", "732 829 320 00074"))
        .isEqualTo(new CompanyKey("FR", "732829320"));
    assertThatThrownBy(() -> Identifiers.parse("FR", "73282932000075"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("SIRET");
  }

  @Test
  void laPosteSiretsUseTheDigitSumRule() {
    // 3+5+6+1 = 15: a multiple of 5, though not a valid Luhn number.
    assertThat(Identifiers.luhnValid("35600000000001")).isFalse();
    assertThat(Identifiers.parse("FR", "35600000000001").nationalId()).isEqualTo("356000000");
    assertThatThrownBy(() -> Identifiers.parse("FR", "35600000000002"))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void separatorsCaseAndVatPrefixesAreIgnored() {
    assertThat(Identifiers.parse("fr", " 732.829.320 ").nationalId()).isEqualTo("732829320");
    assertThat(Identifiers.parse("FR", "FR44732829320").nationalId()).isEqualTo("732829320");
    assertThat(Identifiers.parse("BE", "BE 0403.170.701").nationalId()).isEqualTo("0403170701");
    assertThat(Identifiers.parse("IT", "IT00743110157").nationalId()).isEqualTo("00743110157");
  }

  @Test
  void belgianNumbers() {
    assertThat(Identifiers.parse("BE", "0403170701").nationalId()).isEqualTo("0403170701");
    assertThat(Identifiers.parse("BE", "403170701").nationalId()).isEqualTo("0403170701");
    assertThat(Identifiers.kboWithCheck("04031707")).isEqualTo("0403170701");
    assertThatThrownBy(() -> Identifiers.parse("BE", "0403170702"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("checksum"));
    assertThatThrownBy(() -> Identifiers.parse("BE", "2403170701"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("format"));
  }

  @Test
  void italianPartitaIva() {
    assertThat(Identifiers.parse("IT", "00743110157").nationalId()).isEqualTo("00743110157");
    assertThatThrownBy(() -> Identifiers.parse("IT", "00743110158"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("IT", "0074311015"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("format"));
  }

  @ParameterizedTest
  @CsvSource({"A58818501", "B65410011", "Q2826000H", "A28017895", "G28029643"})
  void spanishCifs(String cif) {
    assertThat(Identifiers.parse("ES", cif).nationalId()).isEqualTo(cif);
  }

  @Test
  void spanishCifControlCharacterIsChecked() {
    assertThatThrownBy(() -> Identifiers.parse("ES", "A58818502"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("checksum"));
    // A company (A) needs a digit, a public body (Q) a letter.
    assertThatThrownBy(() -> Identifiers.parse("ES", "A5881850A"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("ES", "Q28260008"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("ES", "12345678Z"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("format"));
  }

  @Test
  void companiesHouseNumbersAreCheckedForFormatOnly() {
    assertThat(Identifiers.parse("GB", "00445790").nationalId()).isEqualTo("00445790");
    assertThat(Identifiers.parse("GB", "445790").nationalId()).isEqualTo("00445790");
    assertThat(Identifiers.parse("GB", "sc123456").nationalId()).isEqualTo("SC123456");
    assertThat(Identifiers.parse("GB", "OC301234").nationalId()).isEqualTo("OC301234");
    assertThatThrownBy(() -> Identifiers.parse("GB", "XX123456"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("GB", "123456789"))
        .isInstanceOf(InvalidIdentifierException.class);
  }

  @Test
  void leis() {
    assertThat(Identifiers.parseLei("5493001KJTIIGC8Y1R12")).isEqualTo("5493001KJTIIGC8Y1R12");
    assertThat(Identifiers.parseLei(" 5493 001K JTII GC8Y 1R12 "))
        .isEqualTo("5493001KJTIIGC8Y1R12");
    assertThat(Identifiers.leiWithCheck("5493001KJTIIGC8Y1R")).isEqualTo("5493001KJTIIGC8Y1R12");
    assertThatThrownBy(() -> Identifiers.parseLei("5493001KJTIIGC8Y1R13"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("checksum"));
    assertThatThrownBy(() -> Identifiers.parseLei("5493001KJTIIGC8Y1R1"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("format"));
  }

  @Test
  void unsupportedCountriesAndMissingValuesAreClearErrors() {
    assertThatThrownBy(() -> Identifiers.parse("DE", "HRB12345"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> assertThat(e.code()).isEqualTo("unsupported_country"));
    assertThatThrownBy(() -> Identifiers.parse("FRA", "732829320"))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("FR", null))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifiers.parse("FR", "7".repeat(500)))
        .isInstanceOf(InvalidIdentifierException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
  }
}
