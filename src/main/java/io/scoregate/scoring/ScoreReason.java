package io.scoregate.scoring;

/**
 * One reason behind a score or a decision: a stable code, the feature and its value when it comes
 * from the model (with its contribution to the log-odds of default; positive raises the risk), and
 * plain text in English and French.
 */
public record ScoreReason(
    String code, String feature, Double value, Double contribution, String text, String textFr) {

  /** A reason from a rule (override, policy limit) rather than from a model feature. */
  public boolean isRule() {
    return feature == null;
  }

  public static ScoreReason rule(String code, String text, String textFr) {
    return new ScoreReason(code, null, null, null, text, textFr);
  }
}
