package io.scoregate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private final ApiKeys keys = new ApiKeys("a-test-pepper-of-some-length");

  @Test
  void aGeneratedKeyCarriesItsPublicIdAndVerifiesOnlyItself() {
    ApiKeys.NewKey a = keys.generate();
    ApiKeys.NewKey b = keys.generate();
    assertThat(a.id()).matches("sgk_[a-z2-9]{12}");
    assertThat(ApiKeys.idOf(a.key())).isEqualTo(a.id());
    assertThat(a.key()).isNotEqualTo(b.key());
    assertThat(keys.matches(a.key(), keys.hash(a.key()))).isTrue();
    assertThat(keys.matches(b.key(), keys.hash(a.key()))).isFalse();
  }

  @Test
  void theHashDependsOnThePepper() {
    ApiKeys.NewKey a = keys.generate();
    ApiKeys other = new ApiKeys("another-pepper-of-some-length");
    assertThat(other.matches(a.key(), keys.hash(a.key()))).isFalse();
    assertThatThrownBy(() -> new ApiKeys("short")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHandChosenKeyGetsAStableDerivedId() {
    assertThat(ApiKeys.idOf("demo-key-123"))
        .isEqualTo(ApiKeys.idOf("demo-key-123"))
        .startsWith("sgk_h");
    assertThat(ApiKeys.idOf("demo-key-123")).isNotEqualTo(ApiKeys.idOf("demo-key-124"));
  }

  @Test
  void cidrsMatchIpv4AndIpv6() {
    assertThat(Cidr.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.200")).isTrue();
    assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.100")).isFalse();
    assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains("2001:db9::1")).isFalse();
    assertThat(Cidr.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains("::1")).isFalse();
    // Names are never resolved.
    assertThat(Cidr.parse("10.0.0.0/8").contains("localhost")).isFalse();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("example.com/8"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
