package io.scoregate.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, and whether an address belongs to it. */
public record Cidr(byte[] network, int prefix) {

  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    byte[] address = literal(host);
    if (address == null) {
      throw new IllegalArgumentException("not an IP network: " + text);
    }
    int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(t.substring(slash + 1));
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("bad prefix length in " + text);
    }
    return new Cidr(address, prefix);
  }

  public boolean contains(String ip) {
    byte[] address = literal(ip);
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }

  /** The bytes of an IP literal, or null: never a DNS lookup. */
  static byte[] literal(String ip) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    boolean v4 = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        v4 = false;
      }
      boolean allowed = c == '.' || c == ':' || Character.digit(c, 16) >= 0 || c == '%';
      if (!allowed) {
        return null; // a name, not a literal: InetAddress would resolve it
      }
    }
    if (!v4 && s.indexOf(':') < 0) {
      return null;
    }
    try {
      byte[] bytes = InetAddress.getByName(s).getAddress();
      // An IPv4-mapped IPv6 address compares as IPv4.
      return bytes;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?/" + prefix;
    }
  }
}
