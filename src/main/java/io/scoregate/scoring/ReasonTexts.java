package io.scoregate.scoring;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts of the reasons that come from rules (overrides, payment incidents, the policy's
 * limits), in English and French, from the resource bundles {@code io/scoregate/scoring/reasons}.
 * Every argument is text already, so no locale formats a number differently.
 */
final class ReasonTexts {

  private static final String BUNDLE = "io.scoregate.scoring.reasons";

  private final ResourceBundle en;
  private final ResourceBundle fr;

  ReasonTexts() {
    // No fallback: the English texts are the base bundle whatever the JVM's default locale.
    ResourceBundle.Control exact =
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    this.en = ResourceBundle.getBundle(BUNDLE, Locale.ROOT, exact);
    this.fr = ResourceBundle.getBundle(BUNDLE, Locale.FRENCH, exact);
  }

  /** A rule reason whose text is the bundles' {@code key} with {@code args}. */
  ScoreReason rule(String code, String key, Object... args) {
    return ScoreReason.rule(code, format(en, key, args), format(fr, key, args));
  }

  ScoreReason ceased() {
    return rule("COMPANY_CEASED", "COMPANY_CEASED");
  }

  ScoreReason insufficientData() {
    return rule("INSUFFICIENT_DATA", "INSUFFICIENT_DATA");
  }

  /** An open proceeding of {@code kind} (sauvegarde, redressement or liquidation judiciaire). */
  ScoreReason proceeding(String kind, String since) {
    String key = "INSOLVENCY." + known(kind);
    return ScoreReason.rule(
        "INSOLVENCY_" + kind.toUpperCase(Locale.ROOT),
        proceeding(en, key, since),
        proceeding(fr, key, since));
  }

  /** {@code n} incidents in the look-back window, the level lowered by {@code notches}. */
  ScoreReason incidents(String code, int n, int months, int maxDaysLate, int notches) {
    String key = n > 1 ? "PAYMENT_INCIDENTS.other" : "PAYMENT_INCIDENTS.one";
    Object[] args = {
      Integer.toString(n),
      Integer.toString(months),
      Integer.toString(maxDaysLate),
      Integer.toString(notches)
    };
    return new ScoreReason(
        code, null, (double) n, null, format(en, key, args), format(fr, key, args));
  }

  /**
   * The policy's reason {@code code} ({@link DecisionPolicy#AMOUNT_ABOVE_LIMIT} or {@link
   * DecisionPolicy#PAYMENT_TERM_ABOVE_LIMIT}), its text made from what was asked and the limits.
   * The journal keeps only the code (the numbers are the decision's own) and reads the text back
   * from here.
   */
  /** Whether {@link #limit} knows {@code code} (the platform's own limit reasons). */
  boolean knows(String code) {
    return DecisionPolicy.AMOUNT_ABOVE_LIMIT.equals(code)
        || DecisionPolicy.PAYMENT_TERM_ABOVE_LIMIT.equals(code);
  }

  ScoreReason limit(String code, double amount, long maxAmount, int paymentTerm, int maxTerm) {
    return switch (code) {
      case DecisionPolicy.AMOUNT_ABOVE_LIMIT ->
          rule(code, code, whole(amount), Long.toString(maxAmount));
      case DecisionPolicy.PAYMENT_TERM_ABOVE_LIMIT ->
          rule(code, code, Integer.toString(paymentTerm), Integer.toString(maxTerm));
      default -> throw new IllegalArgumentException("unknown policy reason " + code);
    };
  }

  private static String whole(double amount) {
    return amount == Math.rint(amount) ? Long.toString((long) amount) : Double.toString(amount);
  }

  private static String known(String kind) {
    // Any other kind reads as the mildest proceeding, as before the texts were bundled.
    return switch (kind) {
      case "liquidation_judiciaire", "redressement_judiciaire" -> kind;
      default -> "sauvegarde";
    };
  }

  private static String proceeding(ResourceBundle texts, String kindKey, String since) {
    String clause = since == null ? "" : format(texts, "INSOLVENCY.since", since);
    return format(texts, "INSOLVENCY", texts.getString(kindKey), clause);
  }

  private static String format(ResourceBundle texts, String key, Object... args) {
    return new MessageFormat(texts.getString(key), Locale.ROOT).format(args);
  }
}
