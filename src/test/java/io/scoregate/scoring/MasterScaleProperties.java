package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.app.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class MasterScaleProperties {

  private final MasterScale scale =
      new MasterScale(ConfigLoader.load(Path.of("config/application.yaml"), Map.of()).policy());

  @Property
  void aLowerPdNeverGivesALowerScore(
      @ForAll @DoubleRange(min = 0, max = 1) double a,
      @ForAll @DoubleRange(min = 0, max = 1) double b) {
    double low = Math.min(a, b);
    double high = Math.max(a, b);
    assertThat(scale.score(low)).isGreaterThanOrEqualTo(scale.score(high));
    assertThat(scale.score(low)).isBetween(0, 100);
  }
}
