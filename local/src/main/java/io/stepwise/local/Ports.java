package io.stepwise.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports the runtime will listen on, checked before anything starts: a busy one is one line
 * naming the port, what wanted it and the flag that moves it, not a stack trace half-way through
 * the start.
 */
final class Ports {

  private Ports() {}

  /** A port another process holds. */
  static final class InUseException extends RuntimeException {
    InUseException(String message) {
      super(message);
    }
  }

  private record Wanted(int port, String what, String flag) {}

  /** Throws {@link InUseException} for the first busy port among those {@code options} fix. */
  static void checkFree(Options options) {
    List<Wanted> wanted = new ArrayList<>();
    wanted.add(new Wanted(options.apiPort(), "the API and dashboard", "--port"));
    wanted.add(new Wanted(options.sfnPort(), "the Step Functions emulator", "--sfn-port"));
    wanted.add(new Wanted(options.dynamoPort(), "DynamoDB Local", "--dynamo-port"));
    for (Wanted w : wanted) {
      if (w.port() != 0 && !free(w.port())) {
        throw new InUseException(
            "port "
                + w.port()
                + " ("
                + w.what()
                + ") is in use by another process: stop it, or move "
                + w.what()
                + " with "
                + w.flag()
                + " <port> (0: any free port)");
      }
    }
    for (int i = 0; i < wanted.size(); i++) {
      for (int j = i + 1; j < wanted.size(); j++) {
        Wanted a = wanted.get(i);
        Wanted b = wanted.get(j);
        if (a.port() != 0 && a.port() == b.port()) {
          throw new InUseException(
              a.flag()
                  + " and "
                  + b.flag()
                  + " both ask for port "
                  + a.port()
                  + ": give one another");
        }
      }
    }
  }

  /** Whether a server could listen on {@code port} on every interface now. */
  static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // a port in TIME_WAIT is free for a server, as for Netty
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
