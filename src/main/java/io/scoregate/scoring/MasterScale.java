package io.scoregate.scoring;

import java.util.List;

/**
 * The master scale: 12-month PD -> 0-100 score -> risk level. The score is log-linear in the PD
 * between two configured anchors and clamped, so a lower PD never gives a lower score; the risk
 * level is the first configured band whose minimum score the score reaches.
 */
public final class MasterScale {

  private final double logPdAt100;
  private final double logRange;
  private final List<RiskLevelConfig> levels;

  public MasterScale(PolicyConfig policy) {
    this.logPdAt100 = Math.log(policy.pdAtScore100());
    this.logRange = Math.log(policy.pdAtScore0()) - logPdAt100;
    this.levels = policy.levels();
  }

  public int score(double pd) {
    if (Double.isNaN(pd)) {
      throw new IllegalArgumentException("pd is NaN");
    }
    if (pd <= 0) {
      return 100;
    }
    double position = (Math.log(pd) - logPdAt100) / logRange;
    long score = Math.round(100 * (1 - position));
    return (int) Math.max(0, Math.min(100, score));
  }

  public int levelIndex(int score) {
    for (int i = 0; i < levels.size(); i++) {
      if (score >= levels.get(i).minScore()) {
        return i;
      }
    }
    return levels.size() - 1;
  }

  public RiskLevelConfig level(int index) {
    return levels.get(Math.min(index, levels.size() - 1));
  }

  public int levelCount() {
    return levels.size();
  }

  /** The highest score that still falls in the band at {@code index}. */
  public int maxScoreOf(int index) {
    return index == 0 ? 100 : levels.get(index - 1).minScore() - 1;
  }

  public RiskLevelConfig levelByName(String name) {
    for (RiskLevelConfig level : levels) {
      if (level.name().equals(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException("unknown risk level " + name);
  }
}
