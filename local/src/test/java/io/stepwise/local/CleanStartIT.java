package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged runtime (`java -jar target/stepwise-local.jar`) with one of its ports taken, and
 * with a start that fails half-way: each ends the process with exit code 1 and one line that says
 * why (the port and the flag that moves it), no stack trace, nothing left listening. A start that
 * succeeds prints our banner first.
 */
class CleanStartIT {

  private record Ended(int exitCode, List<String> lines) {}

  private static Ended launch(List<String> args) throws Exception {
    Path log = Files.createTempFile(Path.of("target"), "clean-start", ".log");
    Process process = PackagedRuntime.start(args, log);
    boolean ended = process.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended)
        .as("the process ended by itself; it printed:%n%s", Files.readString(log))
        .isTrue();
    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    return new Ended(process.exitValue(), lines);
  }

  @Test
  void aStart_printsOurBannerFirst_withoutTheLibrariesSetupNoise() throws Exception {
    Path log = Files.createTempFile(Path.of("target"), "clean-start", ".log");
    Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "clean-start-data");
    Process process =
        PackagedRuntime.start(
            List.of(
                "--port",
                Integer.toString(PackagedRuntime.freePort()),
                "--sfn-port",
                Integer.toString(PackagedRuntime.freePort()),
                "--dynamo-port",
                Integer.toString(PackagedRuntime.freePort()),
                "--data-dir",
                data.toString()),
            log);
    try {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      while (!Files.readString(log).contains("Ctrl-C stops everything")
          && process.isAlive()
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    String printed = Files.readString(log);
    assertThat(printed).as("it came up").contains("Ctrl-C stops everything");
    assertThat(printed.substring(0, printed.indexOf("Stepwise is running locally.")))
        .as("nothing before the banner")
        .isBlank();
    assertThat(printed)
        .as("DynamoDB Local's configuration dump and sqlite4java's jar-version warning")
        .doesNotContain("Initializing DynamoDB Local")
        .doesNotContain("unknown jar version");
  }

  @ParameterizedTest(name = "{0} taken")
  @CsvSource({"--port, 0", "--sfn-port, 1", "--dynamo-port, 2"})
  void aBusyPort_endsTheStartWithOneLineNamingThePortAndItsFlag(String flag, int taken)
      throws Exception {
    int[] ports = {
      PackagedRuntime.freePort(), PackagedRuntime.freePort(), PackagedRuntime.freePort()
    };
    try (ServerSocket holder = new ServerSocket(ports[taken])) {
      Ended ended =
          launch(
              List.of(
                  "--port",
                  Integer.toString(ports[0]),
                  "--sfn-port",
                  Integer.toString(ports[1]),
                  "--dynamo-port",
                  Integer.toString(ports[2])));

      assertThat(ended.exitCode()).isEqualTo(1);
      assertThat(ended.lines()).as("one line, no stack trace").hasSize(1);
      assertThat(ended.lines().get(0))
          .contains("port " + ports[taken] + " ")
          .contains(flag + " <port>");
    }
    for (int port : ports) {
      assertThat(Ports.free(port))
          .as("nothing listens on %d after the failed start", port)
          .isTrue();
    }
  }

  @Test
  void aStartThatFailsHalfWay_stopsWhatHadStarted_andExitsNonZeroWithOneLine() throws Exception {
    // A setting that moved fails when the pipelines are read: after DynamoDB Local, the local
    // servers and the emulator are up.
    Path config = Files.createTempFile(Path.of("target"), "moved", ".yml");
    Files.writeString(config, "stepwise:\n  analyze:\n    primary: local-gpt\n");
    int[] ports = {
      PackagedRuntime.freePort(), PackagedRuntime.freePort(), PackagedRuntime.freePort()
    };

    Ended ended =
        launch(
            List.of(
                "--port",
                Integer.toString(ports[0]),
                "--sfn-port",
                Integer.toString(ports[1]),
                "--dynamo-port",
                Integer.toString(ports[2]),
                "--config",
                config.toString()));

    assertThat(ended.exitCode()).isEqualTo(1);
    assertThat(ended.lines().stream().filter(l -> l.contains("\tat ") || l.startsWith("Caused by")))
        .as("no stack trace")
        .isEmpty();
    assertThat(ended.lines().get(ended.lines().size() - 1))
        .startsWith("the local runtime did not start: ")
        .contains("stepwise.analyze.* is no longer read");
    for (int port : ports) {
      assertThat(Ports.free(port))
          .as("nothing listens on %d after the failed start", port)
          .isTrue();
    }
  }
}
