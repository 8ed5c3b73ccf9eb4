package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client cannot hold a connection without asking anything: a header trickled a line at a time
 * (slowloris) and a silent connection are both closed by the server after {@code
 * http.requestHeaderTimeoutMs} (here 1 s), while a client that keeps asking is served on the same
 * connection for as long as it likes.
 */
class SlowClientsIT {

  private static TestGateway gateway;
  private static int port;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    gateway =
        TestGateway.start(
            new ManualClock(Instant.parse("2026-06-15T10:00:00Z")),
            Map.of("SCOREGATE_HTTP_REQUEST_HEADER_TIMEOUT_MS", "1000"));
    port = gateway.config().http().port();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aHeaderTrickledLineByLineIsCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      // A header line every 200 ms for up to 20 s: the server must close long before.
      for (int i = 0; i < 100 && !closed; i++) {
        Thread.sleep(200);
        try {
          out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          closed = closedByServer(socket, 1);
        } catch (IOException e) {
          closed = true;
        }
      }
      assertThat(closed).as("the server closed the trickling connection").isTrue();
    }
  }

  @Test
  void aSilentConnectionIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertThat(closedByServer(socket, 10_000)).isTrue();
    }
  }

  @Test
  void aClientThatKeepsAskingIsServedOnOneConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // Requests 400 ms apart for 3 s: three times the header timeout, on the same connection.
      for (int i = 0; i < 8; i++) {
        out.write(
            "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readAnswer(in)).startsWith("HTTP/1.1 200");
        Thread.sleep(400);
      }
    }
  }

  /** Whether the server closes the socket within the time (a read returns end of stream). */
  private static boolean closedByServer(Socket socket, int withinMs) throws IOException {
    socket.setSoTimeout(withinMs);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** One answer of /health/live (a small body with a Content-Length). */
  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("content-length:");
    int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
    in.readNBytes(length);
    return head.toString();
  }
}
