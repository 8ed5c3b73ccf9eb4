package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.app.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasterScaleTest {

  private static final PolicyConfig POLICY =
      ConfigLoader.load(Path.of("config/application.yaml"), Map.of()).policy();
  private final MasterScale scale = new MasterScale(POLICY);

  @Test
  void anchorsMapToTheEndsOfTheScale() {
    assertThat(scale.score(POLICY.pdAtScore100())).isEqualTo(100);
    assertThat(scale.score(POLICY.pdAtScore0())).isZero();
    assertThat(scale.score(0.0)).isEqualTo(100);
    assertThat(scale.score(0.9)).isZero();
    assertThat(scale.score(1e-9)).isEqualTo(100);
  }

  @Test
  void theMidpointIsTheGeometricMeanOfTheAnchors() {
    double mid = Math.sqrt(POLICY.pdAtScore100() * POLICY.pdAtScore0());
    assertThat(scale.score(mid)).isEqualTo(50);
  }

  @Test
  void levelsFollowTheConfiguredBands() {
    assertThat(scale.level(scale.levelIndex(100)).name()).isEqualTo("low");
    assertThat(scale.level(scale.levelIndex(70)).name()).isEqualTo("low");
    assertThat(scale.level(scale.levelIndex(69)).name()).isEqualTo("medium");
    assertThat(scale.level(scale.levelIndex(30)).name()).isEqualTo("high");
    assertThat(scale.level(scale.levelIndex(29)).name()).isEqualTo("very_high");
    assertThat(scale.maxScoreOf(1)).isEqualTo(69);
    assertThat(scale.maxScoreOf(3)).isEqualTo(29);
  }
}
