package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.scoring.RiskLevelConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final Path FILE = Path.of("config/application.yaml");

  @Test
  void theShippedFileParsesWithItsDocumentedDefaults() {
    AppConfig config = ConfigLoader.load(FILE, Map.of());
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.pg().database()).isEqualTo("scoregate");
    assertThat(config.policy().levels())
        .extracting(RiskLevelConfig::name)
        .containsExactly("low", "medium", "high", "very_high");
  }

  @Test
  void environmentVariablesOverrideLeavesByTheirPath() {
    AppConfig config =
        ConfigLoader.load(
            FILE,
            Map.of(
                "SCOREGATE_HTTP_PORT", "9090",
                "SCOREGATE_PG_MAX_POOL_SIZE", "32",
                "SCOREGATE_CACHE_TTL_SECONDS", "60",
                "SCOREGATE_POLICY_LEVELS_0_MIN_SCORE", "80"));
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.pg().maxPoolSize()).isEqualTo(32);
    assertThat(config.cache().ttlSeconds()).isEqualTo(60);
    assertThat(config.policy().levels().get(0).minScore()).isEqualTo(80);
  }

  @Test
  void anInvalidValueFailsAtStartWithTheKeyNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(FILE, Map.of("SCOREGATE_HTTP_PORT", "70000")))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> ConfigLoader.load(FILE, Map.of("SCOREGATE_CACHE_MAX_SIZE", "0")))
        .hasMessageContaining("cache.maxSize");
  }

  @Test
  void thePasswordNeverAppearsInToString() {
    AppConfig config = ConfigLoader.load(FILE, Map.of("SCOREGATE_PG_PASSWORD", "s3cr3t-value"));
    assertThat(config.pg().password()).isEqualTo("s3cr3t-value");
    assertThat(config.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void variableNamesAreUpperSnakeCase() {
    assertThat(ConfigLoader.upperSnake("maxPoolSize")).isEqualTo("MAX_POOL_SIZE");
    assertThat(ConfigLoader.upperSnake("port")).isEqualTo("PORT");
  }
}
