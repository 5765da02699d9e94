package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged runtime ({@code java -jar target/stepwise-local.jar --data-dir D}) is killed with SIGKILL while
 * tasks are in flight and started again on the same data: every task finishes, and no step whose result was
 * checkpointed runs again (only the step that was in flight may).
 */
class CrashRecoveryIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private Process launch(Path dataDir, int api, int sfn, int dynamo, Path log) throws IOException {
    Path jar = Path.of("target", "stepwise-local.jar");
    assertThat(jar).as("the packaged runtime").exists();
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(),
        "--port", Integer.toString(api), "--sfn-port", Integer.toString(sfn), "--dynamo-port", Integer.toString(dynamo),
        "--data-dir", dataDir.toString(), "--time-scale", "0.001")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private JsonNode call(int api, String method, String path, String body) throws Exception {
    return LocalApi.send(URI.create("http://localhost:" + api), method, path, body);
  }

  private void awaitUp(int api) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + api + "/api/tasks/stats")).build(), HttpResponse.BodyHandlers.discarding());
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

  @Test
  void killedWithTasksInFlight_restartsAndFinishesThemWithoutRerunningCheckpointedSteps() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-data");
    int api = freePort();
    int sfn = freePort();
    int dynamo = freePort();
    process = launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-1.log"));
    awaitUp(api);
    call(api, "PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":1500}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(call(api, "POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText());
    }
    Thread.sleep(1000); // every task is now inside analyze, waiting for the slow model
    process.destroyForcibly().waitFor();

    process = launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-2.log"));
    awaitUp(api);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    for (String id : ids) {
      JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
      while (!task.path("status").asText().equals("succeeded") && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        task = call(api, "GET", "/api/tasks/" + id, null);
      }
      assertThat(task.path("status").asText()).as("task %s", task).isEqualTo("succeeded");
      int reruns = 0;
      for (JsonNode step : task.path("steps")) {
        assertThat(step.path("executions").asInt()).as("%s of %s", step.path("name"), id).isBetween(1, 2);
        reruns += step.path("executions").asInt() - 1;
      }
      assertThat(reruns).as("steps of %s run twice (only the in-flight one may)", id).isLessThanOrEqualTo(1);
      assertThat(task.path("steps").get(0).path("executions").asInt()).as("fetch_papers had checkpointed").isEqualTo(1);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
