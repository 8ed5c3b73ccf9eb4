package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoregate.scoring.RiskLevelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aNamedFileThatDoesNotExistIsAnErrorNotTheDefaults(@TempDir Path dir) {
    String missing = dir.resolve("no-such.yaml").toString();
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SCOREGATE_CONFIG", missing)))
        .hasMessageContaining("no-such.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("no-such.yaml"), Map.of()))
        .hasMessageContaining("no-such.yaml");
  }

  @Test
  void aKeyMissingFromACustomFileTakesItsDocumentedDefault(@TempDir Path dir) throws Exception {
    Path custom = dir.resolve("custom.yaml");
    // No edge.enabled, no edge.keyCacheSeconds: authentication stays on, the cache time 5 s.
    Files.writeString(
        custom, "http:\n  port: 9191\nedge:\n  apiKeyPepper: a-pepper-of-my-own-123\n");
    AppConfig config = ConfigLoader.load(Map.of("SCOREGATE_CONFIG", custom.toString()));
    assertThat(config.http().port()).isEqualTo(9191);
    assertThat(config.edge().enabled()).isTrue();
    assertThat(config.edge().keyCacheSeconds()).isEqualTo(5);
    assertThat(config.edge().apiKeyPepper()).isEqualTo("a-pepper-of-my-own-123");
    assertThat(config.http().accessLog()).isTrue();
    assertThat(config.policy().levels()).hasSize(4);
    // An empty file is the defaults.
    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "");
    assertThat(ConfigLoader.load(empty, Map.of()).edge().enabled()).isTrue();
  }

  @Test
  void aListItemWithoutANumberIsAnErrorNotZero(@TempDir Path dir) throws Exception {
    Path custom = dir.resolve("levels.yaml");
    Files.writeString(
        custom,
        "policy:\n  levels:\n    - { name: all, recommendation: accept, maxPaymentTermDays: 30,"
            + " creditShareOfMonthlySales: 1, creditShareOfEquity: 0.1 }\n");
    assertThatThrownBy(() -> ConfigLoader.load(custom, Map.of())).hasMessageContaining("minScore");
  }

  @Test
  void aPolicyLevelsRecommendationIsValidatedAtStart() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    FILE,
                    Map.of("SCOREGATE_POLICY_LEVELS_1_RECOMMENDATION", "accept_with_monitor")))
        .hasMessageContaining("recommendation");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    FILE, Map.of("SCOREGATE_POLICY_OVER_LIMIT_RECOMMENDATION", "manual")))
        .hasMessageContaining("overLimitRecommendation");
  }

  @Test
  void theInstanceIdLooksNothingUpItself() {
    InstanceConfig unnamed = new InstanceConfig("");
    assertThat(unnamed.resolvedId(8080, () -> "pod-7")).isEqualTo("pod-7:8080");
    assertThat(new InstanceConfig("gw-1").resolvedId(8080, () -> "pod-7")).isEqualTo("gw-1");
  }
}
