package io.scoregate.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A few plain Redis commands over a socket, to look at the counters a test left. */
final class TestRedis {

  private TestRedis() {}

  /** Runs a command whose answer is a simple status or integer line; returns that line. */
  static String command(String... words) {
    try (Socket socket =
        new Socket("127.0.0.1", Integer.getInteger("scoregate.test.redis.port", 6379))) {
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
      for (String w : words) {
        request
            .append("$")
            .append(w.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(w)
            .append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String get(String key) {
    try (Socket socket =
        new Socket("127.0.0.1", Integer.getInteger("scoregate.test.redis.port", 6379))) {
      OutputStream out = socket.getOutputStream();
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      out.write(("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(k);
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String header = in.readLine();
      return header.startsWith("$-1") ? null : in.readLine();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
