package io.scoregate.company;

import java.util.Locale;

/**
 * Validates and normalizes company identifiers, per country: FR SIREN and SIRET (Luhn; La Poste's
 * establishments use a digit sum mod 5), BE enterprise number (mod 97), IT partita IVA (Luhn), ES
 * CIF (its own control digit or letter), GB Companies House number (format only), and the global
 * LEI (ISO 17442, mod 97-10). Runs on the event loop for every request: plain loops, no regex.
 */
public final class Identifiers {

  /** SIREN of La Poste, whose SIRETs break the Luhn rule. */
  private static final String LA_POSTE_SIREN = "356000000";

  /** First letters of a CIF, by the kind of legal entity. */
  private static final String CIF_LETTERS = "ABCDEFGHJNPQRSUVW";

  /** Prefixes of Companies House numbers other than England and Wales' all-digit ones. */
  private static final String[] GB_PREFIXES = {
    "AC", "BR", "CE", "CS", "FC", "FE", "GE", "GN", "GS", "IC", "IP", "LP", "NA", "NC", "NF", "NI",
    "NL", "NO", "NP", "NR", "NZ", "OC", "PC", "R0", "RC", "RS", "SA", "SC", "SE", "SF", "SG", "SI",
    "SL", "SO", "SP", "SR", "SZ", "ZC"
  };

  private Identifiers() {}

  /**
   * The company identified by {@code rawId} in {@code country} (ISO 3166 alpha-2, any case).
   * Spaces, dots, hyphens and slashes are ignored, as is a VAT-style country prefix. A French SIRET
   * (an establishment) resolves to its company's SIREN, since scores are per company.
   */
  public static CompanyKey parse(String country, String rawId) {
    if (country == null || country.length() != 2) {
      throw new InvalidIdentifierException(
          "unsupported_country", "The country must be an ISO 3166 alpha-2 code such as FR or BE.");
    }
    String cc = country.toUpperCase(Locale.ROOT);
    String id = clean(rawId, cc);
    return switch (cc) {
      case "FR" -> new CompanyKey("FR", french(id));
      case "BE" -> new CompanyKey("BE", belgian(id));
      case "IT" -> new CompanyKey("IT", italian(id));
      case "ES" -> new CompanyKey("ES", spanish(id));
      case "GB" -> new CompanyKey("GB", british(id));
      default ->
          throw new InvalidIdentifierException(
              "unsupported_country",
              "Company identifiers of " + cc + " are not supported; use FR, BE, IT, ES or GB.");
    };
  }

  /** A Legal Entity Identifier: 20 letters and digits whose ISO 7064 MOD 97-10 remainder is 1. */
  public static String parseLei(String raw) {
    String lei = clean(raw, null);
    if (lei.length() != 20 || !alphanumeric(lei) || !digits(lei, 18, 20)) {
      throw new InvalidIdentifierException(
          "format", "An LEI has 20 characters: 18 letters or digits and 2 check digits.");
    }
    if (mod97(lei) != 1) {
      throw new InvalidIdentifierException(
          "checksum", "The LEI " + lei + " fails its check digits.");
    }
    return lei;
  }

  /** True when the digits pass the Luhn check (the last digit is the check digit). */
  public static boolean luhnValid(CharSequence digits) {
    return luhnSum(digits, false) % 10 == 0;
  }

  /** The Luhn check digit to append to {@code digitsWithoutCheck}. */
  public static char luhnCheckDigit(CharSequence digitsWithoutCheck) {
    return (char) ('0' + (10 - luhnSum(digitsWithoutCheck, true) % 10) % 10);
  }

  /** A Belgian enterprise number from its first eight digits (first digit 0 or 1). */
  public static String kboWithCheck(String first8) {
    int check = 97 - (int) (Long.parseLong(first8) % 97);
    return first8 + (check < 10 ? "0" : "") + check;
  }

  /** An LEI from its first eighteen characters. */
  public static String leiWithCheck(String first18) {
    int check = 98 - mod97(first18 + "00");
    return first18 + (check < 10 ? "0" : "") + check;
  }

  private static String french(String id) {
    if (!digits(id, 0, id.length()) || (id.length() != 9 && id.length() != 14)) {
      throw new InvalidIdentifierException(
          "format", "A SIREN has 9 digits and a SIRET 14 digits; got " + shown(id) + ".");
    }
    String siren = id.substring(0, 9);
    if (!luhnValid(siren)) {
      throw new InvalidIdentifierException(
          "checksum", "The SIREN " + siren + " fails its Luhn check: check for a mistyped digit.");
    }
    if (id.length() == 14) {
      boolean valid = siren.equals(LA_POSTE_SIREN) ? digitSum(id) % 5 == 0 : luhnValid(id);
      if (!valid) {
        throw new InvalidIdentifierException(
            "checksum", "The SIRET " + id + " fails its check: check for a mistyped digit.");
      }
    }
    return siren;
  }

  private static String belgian(String id) {
    if (id.length() == 9 && digits(id, 0, 9)) {
      id = "0" + id; // numbers issued before 2023 may be written with nine digits
    }
    if (id.length() != 10 || !digits(id, 0, 10) || (id.charAt(0) != '0' && id.charAt(0) != '1')) {
      throw new InvalidIdentifierException(
          "format",
          "A Belgian enterprise number has 10 digits starting with 0 or 1; got " + shown(id) + ".");
    }
    if (!kboWithCheck(id.substring(0, 8)).equals(id)) {
      throw new InvalidIdentifierException(
          "checksum", "The enterprise number " + id + " fails its mod 97 check.");
    }
    return id;
  }

  private static String italian(String id) {
    if (id.length() != 11 || !digits(id, 0, 11)) {
      throw new InvalidIdentifierException(
          "format", "A partita IVA has 11 digits; got " + shown(id) + ".");
    }
    if (!luhnValid(id)) {
      throw new InvalidIdentifierException(
          "checksum", "The partita IVA " + id + " fails its check digit.");
    }
    return id;
  }

  private static String spanish(String id) {
    if (id.length() != 9
        || CIF_LETTERS.indexOf(id.charAt(0)) < 0
        || !digits(id, 1, 8)
        || !Character.isLetterOrDigit(id.charAt(8))) {
      throw new InvalidIdentifierException(
          "format",
          "A CIF is a letter, 7 digits and a control digit or letter; got " + shown(id) + ".");
    }
    int even = 0;
    int odd = 0;
    for (int i = 1; i <= 7; i++) {
      int d = id.charAt(i) - '0';
      if (i % 2 == 0) {
        even += d;
      } else {
        int doubled = 2 * d;
        odd += doubled / 10 + doubled % 10;
      }
    }
    int control = (10 - (even + odd) % 10) % 10;
    char digit = (char) ('0' + control);
    char letter = "JABCDEFGHI".charAt(control);
    char given = id.charAt(8);
    char kind = id.charAt(0);
    boolean valid;
    if ("PQRSNW".indexOf(kind) >= 0) {
      valid = given == letter; // public bodies, foreign and non-resident entities: a letter
    } else if ("ABEH".indexOf(kind) >= 0) {
      valid = given == digit; // companies (SA, SL), communities of goods, owners' associations
    } else {
      valid = given == digit || given == letter;
    }
    if (!valid) {
      throw new InvalidIdentifierException(
          "checksum", "The CIF " + id + " fails its control character.");
    }
    return id;
  }

  private static String british(String id) {
    if (id.length() >= 1 && id.length() < 8 && digits(id, 0, id.length())) {
      id = "0".repeat(8 - id.length()) + id;
    }
    boolean valid =
        id.length() == 8 && (digits(id, 0, 8) || (knownGbPrefix(id) && digits(id, 2, 8)));
    if (!valid) {
      throw new InvalidIdentifierException(
          "format",
          "A Companies House number has 8 digits, or a 2-letter prefix and 6 digits; got "
              + shown(id)
              + ".");
    }
    return id;
  }

  private static boolean knownGbPrefix(String id) {
    for (String prefix : GB_PREFIXES) {
      if (id.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Drops separators, upper-cases, and removes a VAT-style country prefix. */
  private static String clean(String raw, String country) {
    if (raw == null) {
      throw new InvalidIdentifierException("format", "The identifier is missing.");
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ' ' || c == '.' || c == '-' || c == '/' || c == '\u00a0') {
        continue;
      }
      out.append(Character.toUpperCase(c));
      if (out.length() > 40) {
        throw new InvalidIdentifierException("format", "The identifier is far too long.");
      }
    }
    String id = out.toString();
    if (country != null && id.length() > 2 && id.startsWith(country) && !"GB".equals(country)) {
      // "BE0403170701", "IT00743110157": a VAT number is the company number behind its country.
      // French VAT numbers carry a 2-digit key first ("FR40303265045"), which a SIREN is not.
      String rest = id.substring(2);
      if ("FR".equals(country) && rest.length() == 11 && digits(rest, 0, 11)) {
        return rest.substring(2);
      }
      if (!"FR".equals(country)) {
        return rest;
      }
    }
    return id;
  }

  private static int luhnSum(CharSequence digits, boolean doubleLast) {
    int sum = 0;
    int n = digits.length();
    for (int i = 0; i < n; i++) {
      int d = digits.charAt(n - 1 - i) - '0';
      if (d < 0 || d > 9) {
        return 1; // never a multiple of 10: not valid
      }
      if ((i % 2 == 1) != doubleLast) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum;
  }

  private static int digitSum(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      sum += digits.charAt(i) - '0';
    }
    return sum;
  }

  /** ISO 7064 MOD 97-10 over letters (A=10 .. Z=35) and digits. */
  private static int mod97(String value) {
    int remainder = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int v = c <= '9' ? c - '0' : c - 'A' + 10;
      remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
    }
    return remainder;
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return to > from;
  }

  private static boolean alphanumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  /** The identifier as given, shortened so a message never carries a long payload. */
  private static String shown(String id) {
    return id.isEmpty()
        ? "nothing"
        : "\"" + (id.length() > 20 ? id.substring(0, 20) + "..." : id) + "\"";
  }
}
