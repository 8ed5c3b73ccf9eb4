package io.scoregate.scoring;

import io.scoregate.policy.PolicyRule;
import io.scoregate.policy.Recommendation;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform default: the configured master-scale policy ({@code policy.levels}) written as
 * rules, which every tenant without a policy of its own is decided by. A company that cannot be
 * scored goes to review (refused with an open proceeding); a company with an open proceeding, or
 * that ceased, is refused; otherwise its risk level gives the recommendation, the payment term and
 * the credit limit (a share of monthly sales, else of equity). These rules add no reason of their
 * own, so the answers are those the configured policy always gave.
 */
public final class PlatformPolicy {

  private PlatformPolicy() {}

  public static List<PolicyRule> rules(PolicyConfig config) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        new PolicyRule(
            "unscored_with_proceeding",
            "!scored && open_proceeding",
            Recommendation.REFUSE,
            "0",
            "0",
            null));
    rules.add(new PolicyRule("unscored", "!scored", Recommendation.MANUAL_REVIEW, "0", "0", null));
    rules.add(
        new PolicyRule(
            "proceeding_or_ceased",
            "open_proceeding || ceased",
            Recommendation.REFUSE,
            "0",
            "0",
            null));
    List<RiskLevelConfig> levels = config.levels();
    for (int i = 0; i < levels.size(); i++) {
      RiskLevelConfig level = levels.get(i);
      boolean last = i == levels.size() - 1;
      rules.add(
          new PolicyRule(
              "level_" + level.name(),
              last ? "true" : "risk_level == '" + level.name() + "'",
              Recommendation.fromWire(level.recommendation()),
              "sales > 0.0 ? "
                  + level.creditShareOfMonthlySales()
                  + " * (sales / 12.0) : (equity > 0.0 ? "
                  + level.creditShareOfEquity()
                  + " * equity : 0.0)",
              Integer.toString(level.maxPaymentTermDays()),
              null));
    }
    return List.copyOf(rules);
  }
}
