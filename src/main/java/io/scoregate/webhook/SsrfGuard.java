package io.scoregate.webhook;

import io.scoregate.edge.Cidr;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps deliveries off internal networks: an endpoint's host is resolved and every address it
 * resolves to must be public, else the endpoint is refused. Loopback, private (RFC 1918, shared
 * 100.64/10, IPv6 unique-local), link-local, multicast, unspecified, reserved and cloud metadata
 * addresses are refused, IPv4 and IPv6, with IPv4 embedded in IPv6 (mapped {@code ::ffff:a.b.c.d},
 * compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}) judged as the IPv4 address it carries.
 * Only addresses in {@code webhook.ssrfAllowList} pass anyway. The caller connects to the address
 * checked here (not to a second lookup), so a DNS answer that changes between check and connect
 * cannot reach inside; redirects are never followed.
 */
final class SsrfGuard {

  private static final byte[] METADATA_V4 = {(byte) 169, (byte) 254, (byte) 169, (byte) 254};

  private final Vertx vertx;
  private final List<Cidr> allowList;

  SsrfGuard(Vertx vertx, List<String> allowList) {
    this.vertx = vertx;
    this.allowList = allowList.stream().map(Cidr::parse).toList();
  }

  /** The address to connect to for this host, or a failed future with the refusal. */
  Future<InetAddress> resolve(String host) {
    return vertx.executeBlocking(
        () -> {
          InetAddress[] addresses;
          try {
            addresses = InetAddress.getAllByName(host);
          } catch (UnknownHostException e) {
            throw new RefusedAddressException("the host " + host + " does not resolve");
          }
          for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
              throw new RefusedAddressException(
                  "the host "
                      + host
                      + " resolves to "
                      + address.getHostAddress()
                      + ", a "
                      + refusal
                      + " address");
            }
          }
          return addresses[0];
        },
        false);
  }

  /** Why this address may not be called, or null when it may. */
  String refusal(InetAddress address) {
    String text = address.getHostAddress();
    byte[] bytes = address.getAddress();
    byte[] v4 = bytes.length == 4 ? bytes : embeddedIpv4(bytes);
    if (allowed(text) || (v4 != null && allowed(ipv4Text(v4)))) {
      return null;
    }
    if (v4 != null) {
      return ipv4Refusal(v4);
    }
    return ipv6Refusal(bytes);
  }

  private boolean allowed(String ip) {
    return allowList.stream().anyMatch(cidr -> cidr.contains(ip));
  }

  static String ipv4Refusal(byte[] a) {
    int b0 = a[0] & 0xFF;
    int b1 = a[1] & 0xFF;
    if (Arrays.equals(a, METADATA_V4)) {
      return "metadata";
    }
    if (b0 == 127) {
      return "loopback";
    }
    if (b0 == 0) {
      return "unspecified";
    }
    if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
      return "private";
    }
    if (b0 == 100 && b1 >= 64 && b1 <= 127) {
      return "private"; // shared address space (carrier NAT); 100.100.100.200 is a metadata host
    }
    if (b0 == 169 && b1 == 254) {
      return "link-local";
    }
    if (b0 >= 224 && b0 <= 239) {
      return "multicast";
    }
    if (b0 >= 240) {
      return "reserved";
    }
    if ((b0 == 192 && b1 == 0 && (a[2] & 0xFF) == 0) || (b0 == 198 && (b1 == 18 || b1 == 19))) {
      return "reserved";
    }
    return null;
  }

  static String ipv6Refusal(byte[] a) {
    int b0 = a[0] & 0xFF;
    int b1 = a[1] & 0xFF;
    boolean zeroPrefix = true;
    for (int i = 0; i < 15; i++) {
      zeroPrefix &= a[i] == 0;
    }
    if (zeroPrefix && a[15] == 1) {
      return "loopback";
    }
    if (zeroPrefix && a[15] == 0) {
      return "unspecified";
    }
    if (b0 == 0xFD && b1 == 0x00 && a[2] == 0x0e && (a[3] & 0xFF) == 0xc2) {
      return "metadata"; // fd00:ec2::254 and its neighbours
    }
    if ((b0 & 0xFE) == 0xFC) {
      return "private"; // unique-local fc00::/7
    }
    if (b0 == 0xFE && (b1 & 0xC0) == 0x80) {
      return "link-local";
    }
    if (b0 == 0xFE && (b1 & 0xC0) == 0xC0) {
      return "private"; // deprecated site-local fec0::/10
    }
    if (b0 == 0xFF) {
      return "multicast";
    }
    return null;
  }

  /** The IPv4 address carried by an IPv4-mapped, -compatible or NAT64 IPv6 address, or null. */
  static byte[] embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return null;
    }
    boolean first10Zero = true;
    for (int i = 0; i < 10; i++) {
      first10Zero &= a[i] == 0;
    }
    boolean mapped = first10Zero && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    boolean compatible = first10Zero && a[10] == 0 && a[11] == 0 && (a[12] | a[13]) != 0;
    boolean nat64 = (a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF;
    nat64 &= (a[3] & 0xFF) == 0x9B;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = a[i] == 0;
    }
    return mapped || compatible || nat64 ? Arrays.copyOfRange(a, 12, 16) : null;
  }

  private static String ipv4Text(byte[] v4) {
    return (v4[0] & 0xFF) + "." + (v4[1] & 0xFF) + "." + (v4[2] & 0xFF) + "." + (v4[3] & 0xFF);
  }

  /** The endpoint's host may not be called: a 422 at registration, a dead message at delivery. */
  static final class RefusedAddressException extends RuntimeException {
    RefusedAddressException(String message) {
      super(message, null, false, false);
    }
  }
}
