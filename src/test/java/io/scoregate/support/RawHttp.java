package io.scoregate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 on a bare socket, for requests no well-behaved client would send: the bytes go out as
 * given, and the answer is read until the server closes the connection (send {@code Connection:
 * close}) or the read timeout passes.
 */
public final class RawHttp {

  private RawHttp() {}

  /** An answer as read: the status (0 when none came), the head and the body as text. */
  public record Answer(int status, String head, String body, boolean timedOut) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    public boolean isProblem() {
      String type = header("Content-Type");
      return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/problem+json");
    }
  }

  public static Answer exchange(int port, byte[] request, int readTimeoutMs) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(readTimeoutMs);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean timedOut = false;
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        timedOut = true;
      } catch (IOException e) {
        // A reset after the answer: what was read stands.
      }
      return parse(out.toString(StandardCharsets.ISO_8859_1), timedOut);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach 127.0.0.1:" + port, e);
    }
  }

  private static Answer parse(String raw, boolean timedOut) {
    int end = raw.indexOf("\r\n\r\n");
    String head = end < 0 ? raw : raw.substring(0, end);
    String body = end < 0 ? "" : raw.substring(end + 4);
    int status = 0;
    if (head.startsWith("HTTP/")) {
      String[] parts = head.split(" ", 3);
      if (parts.length > 1) {
        try {
          status = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
          status = 0;
        }
      }
    }
    return new Answer(status, head, body, timedOut);
  }
}
