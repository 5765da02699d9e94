package io.stepwise.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The packaged runtime ({@code java -jar target/stepwise-local.jar --data-dir D}) killed with
 * SIGKILL and started again on the same data: what {@link CrashRecoveryIT}, {@link
 * CrashLateInARunIT} and {@link CrashAwaitingReviewIT} share. Three classes, not one: each trial
 * starts the runtime two or three times, and one class of all of them ran for over a minute at the
 * end of the module's build, alone in one of its two test JVMs.
 */
abstract class PackagedRuntimeCrashes {

  private final HttpClient http = HttpClient.newHttpClient();
  protected Process process;

  /** The runtime's data directory and ports, the same across its restarts. */
  private Path dataDir;

  protected int api;
  private int sfn;
  private int dynamo;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /**
   * Starts the runtime on a new data directory ({@code dataName} its prefix) and free ports, and
   * waits for its API.
   */
  protected void start(String dataName, String log) throws Exception {
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), dataName);
    api = PackagedRuntime.freePort();
    sfn = PackagedRuntime.freePort();
    dynamo = PackagedRuntime.freePort();
    relaunch(log);
  }

  /**
   * Starts it (again) on the same data and ports, writing to {@code target/<log>}; waits for its
   * API.
   */
  protected void relaunch(String log) throws Exception {
    process = launch(Path.of("target", log));
    awaitUp(api);
  }

  private Process launch(Path log) throws IOException {
    return PackagedRuntime.start(
        List.of(
            "--port",
            Integer.toString(api),
            "--sfn-port",
            Integer.toString(sfn),
            "--dynamo-port",
            Integer.toString(dynamo),
            "--data-dir",
            dataDir.toString(),
            "--time-scale",
            "0.001"),
        log);
  }

  protected JsonNode call(int api, String method, String path, String body) throws Exception {
    return LocalApi.send(URI.create("http://localhost:" + api), method, path, body);
  }

  protected void awaitUp(int api) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + api + "/api/tasks/stats"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("runtime did not come up; see target/crash-*.log");
  }

  protected static boolean isFinal(JsonNode task) {
    return switch (task.path("status").asText()) {
      case "succeeded", "failed", "cancelled", "rejected" -> true;
      default -> false;
    };
  }

  /**
   * Whether the task's analyze step has started (running or further): fetch_papers is behind it.
   */
  protected boolean pastFetch(int api, String id) {
    try {
      String analyze =
          call(api, "GET", "/api/tasks/" + id, null).path("steps").get(1).path("status").asText();
      return !analyze.equals("pending");
    } catch (Exception notYet) {
      return false;
    }
  }
}
