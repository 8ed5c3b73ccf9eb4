package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import io.scoregate.app.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The master scale on random probabilities of default (QuickTheories, 1,000 cases). */
class MasterScaleProperties {

  private final MasterScale scale =
      new MasterScale(ConfigLoader.load(Path.of("config/application.yaml"), Map.of()).policy());

  @Test
  void aLowerPdNeverGivesALowerScore() {
    qt().withExamples(1000)
        .forAll(doubles().between(0, 1), doubles().between(0, 1))
        .checkAssert(
            (a, b) -> {
              double low = Math.min(a, b);
              double high = Math.max(a, b);
              assertThat(scale.score(low)).isGreaterThanOrEqualTo(scale.score(high));
              assertThat(scale.score(low)).isBetween(0, 100);
            });
  }
}
