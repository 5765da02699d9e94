package io.stepwise.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections arriving on every interface to a loopback port, so containers on the
 * Docker host can reach the protocol servers of {@code fakes}, which listen on 127.0.0.1 only.
 */
final class HostRelay implements AutoCloseable {

  private final ServerSocket server;
  private final int target;

  private HostRelay(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  static HostRelay start(int targetPort) {
    try {
      HostRelay relay =
          new HostRelay(new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0")), targetPort);
      daemon(relay::accept);
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket inbound = server.accept();
        Socket outbound = new Socket(InetAddress.getLoopbackAddress(), target);
        pipe(inbound, outbound);
        pipe(outbound, inbound);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    daemon(
        () -> {
          try (InputStream in = from.getInputStream();
              OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException ignored) {
            // one side closed: the other copy ends too
          } finally {
            closeQuietly(from);
            closeQuietly(to);
          }
        });
  }

  private static void daemon(Runnable work) {
    Thread thread = new Thread(work);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
