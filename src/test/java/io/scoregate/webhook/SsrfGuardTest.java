package io.scoregate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the SSRF guard refuses, per address family, and what an allow-list lets through. */
class SsrfGuardTest {

  private static final SsrfGuard NONE = new SsrfGuard(null, List.of());

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, loopback",
    "127.10.20.30, loopback",
    "0.0.0.0, unspecified",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "100.64.0.1, private",
    "100.100.100.200, private",
    "169.254.169.254, metadata",
    "169.254.1.1, link-local",
    "224.0.0.1, multicast",
    "239.255.255.250, multicast",
    "255.255.255.255, reserved",
    "240.0.0.1, reserved",
    "::1, loopback",
    "::, unspecified",
    "fe80::1, link-local",
    "fc00::1, private",
    "fd12:3456::1, private",
    "fd00:ec2::254, metadata",
    "fec0::1, private",
    "ff02::1, multicast",
    "::ffff:127.0.0.1, loopback",
    "::ffff:10.0.0.1, private",
    "::ffff:169.254.169.254, metadata",
    "::127.0.0.1, loopback",
    "64:ff9b::a9fe:a9fe, metadata",
    "64:ff9b::7f00:1, loopback"
  })
  void refuses(String address, String why) throws Exception {
    assertThat(NONE.refusal(address(address))).isEqualTo(why);
  }

  @ParameterizedTest
  @CsvSource({
    "93.184.215.14",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8"
  })
  void letsPublicAddressesThrough(String address) throws Exception {
    assertThat(NONE.refusal(address(address))).isNull();
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1", "::1", "::ffff:127.0.0.1"})
  void theAllowListLetsOnlyItsAddressesThrough(String address) throws Exception {
    SsrfGuard loopback = new SsrfGuard(null, List.of("127.0.0.1/32", "::1/128"));
    assertThat(loopback.refusal(address(address))).isNull();
    assertThat(loopback.refusal(address("127.0.0.2"))).isEqualTo("loopback");
    assertThat(loopback.refusal(address("10.0.0.1"))).isEqualTo("private");
  }

  /** An IPv6 literal kept as IPv6 (Java turns ::ffff:a.b.c.d into IPv4 when parsing text). */
  private static InetAddress address(String literal) throws Exception {
    InetAddress parsed = InetAddress.getByName(literal);
    if (literal.startsWith("::ffff:") && parsed.getAddress().length == 4) {
      byte[] v6 = new byte[16];
      v6[10] = (byte) 0xFF;
      v6[11] = (byte) 0xFF;
      System.arraycopy(parsed.getAddress(), 0, v6, 12, 4);
      return java.net.Inet6Address.getByAddress(null, v6, -1);
    }
    return parsed;
  }
}
