package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged runtime ({@code java -jar target/stepwise-local.jar}) as a process of its own, with
 * the test JVMs' flags (the parent pom's {@code argLine}): what {@link CleanStartIT} and the crash
 * tests ({@link PackagedRuntimeCrashes}) start.
 */
final class PackagedRuntime {

  private PackagedRuntime() {}

  /** Starts the runtime with {@code args}, everything it prints going to {@code log}. */
  static Process start(List<String> args, Path log) throws IOException {
    Path jar = Path.of("target", "stepwise-local.jar");
    assertThat(jar).as("the packaged runtime").exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-BytecodeVerificationRemote",
                "-jar",
                jar.toString()));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** A port nothing listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
