package io.scoregate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a real server (Postgres), to take it away from a gateway and give it back
 * without stopping it for every other test: {@link #cut()} closes every relayed connection and
 * refuses new ones, as a server that went down; {@link #restore()} listens again on the same port.
 */
public final class TcpRelay implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  public TcpRelay(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    ServerSocket first = listen(0);
    this.port = first.getLocalPort();
    accept(first);
  }

  public int port() {
    return port;
  }

  /** The server is gone: open connections drop, new ones are refused. */
  public synchronized void cut() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** The server is back on the same port. */
  public synchronized void restore() throws IOException {
    if (!server.isClosed()) {
      return;
    }
    accept(listen(port));
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress("127.0.0.1", port));
    return socket;
  }

  private void accept(ServerSocket listening) {
    server = listening;
    Thread acceptor =
        new Thread(
            () -> {
              while (!listening.isClosed()) {
                try {
                  Socket client = listening.accept();
                  Socket target = new Socket(targetHost, targetPort);
                  sockets.add(client);
                  sockets.add(target);
                  pipe(client, target);
                  pipe(target, client);
                } catch (IOException e) {
                  // Closed by cut(), or the target refused: the client sees its socket close.
                }
              }
            },
            "tcp-relay-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void pipe(Socket from, Socket to) {
    Thread copier =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // One side closed.
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // Already closed.
                }
              }
            },
            "tcp-relay-pipe");
    copier.setDaemon(true);
    copier.start();
  }
}
