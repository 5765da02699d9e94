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
 * The packaged runtime ({@code java -jar target/stepwise-local.jar --data-dir D}) is killed with
 * SIGKILL while tasks are in flight and started again on the same data: every task finishes, and no
 * step whose result was checkpointed runs again (only the step that was in flight may).
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
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-BytecodeVerificationRemote",
            "-jar",
            jar.toString(),
            "--port",
            Integer.toString(api),
            "--sfn-port",
            Integer.toString(sfn),
            "--dynamo-port",
            Integer.toString(dynamo),
            "--data-dir",
            dataDir.toString(),
            "--time-scale",
            "0.001")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private JsonNode call(int api, String method, String path, String body) throws Exception {
    return LocalApi.send(URI.create("http://localhost:" + api), method, path, body);
  }

  private void awaitUp(int api) throws Exception {
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

  @Test
  void killedWithTasksInFlight_restartsAndFinishesThemWithoutRerunningCheckpointedSteps()
      throws Exception {
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
    // Kill once every task is inside analyze (waiting for the slow model): its fetch_papers
    // checkpoint is then
    // followed by a later write, which is what makes DynamoDB Local's acknowledged transaction
    // durable. A fixed
    // sleep was not enough on a loaded machine.
    Instant inAnalyze = Instant.now().plus(Duration.ofSeconds(30));
    while (!ids.stream().allMatch(id -> pastFetch(api, id)) && Instant.now().isBefore(inAnalyze)) {
      Thread.sleep(50);
    }
    process.destroyForcibly().waitFor();

    process = launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-2.log"));
    awaitUp(api);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    for (String id : ids) {
      JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
      while (!task.path("status").asText().equals("succeeded")
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        task = call(api, "GET", "/api/tasks/" + id, null);
      }
      assertThat(task.path("status").asText()).as("task %s", task).isEqualTo("succeeded");
      int reruns = 0;
      for (JsonNode step : task.path("steps")) {
        assertThat(step.path("executions").asInt())
            .as("%s of %s", step.path("name"), id)
            .isBetween(1, 2);
        reruns += step.path("executions").asInt() - 1;
      }
      assertThat(reruns)
          .as("steps of %s run twice (only the in-flight one may)", id)
          .isLessThanOrEqualTo(1);
      assertThat(task.path("steps").get(0).path("executions").asInt())
          .as("fetch_papers had checkpointed")
          .isEqualTo(1);
    }
  }

  /**
   * 2 by default (about a minute on an idle machine); {@code -Dstepwise.crash.trials=N} for more.
   */
  private static final int TRIALS = Integer.getInteger("stepwise.crash.trials", 2);

  private static final int TASKS_PER_TRIAL = 10;

  /**
   * Issue 12: a kill late in a run used to leave tasks running whose execution had succeeded,
   * because the status event was lost. Now the emulator delivers the events it had persisted but
   * not delivered, and the reconciler (on start, then every second at this time scale) repairs a
   * task whose update DynamoDB Local lost in the kill. Each trial kills the runtime once some of
   * its ten tasks have succeeded (later in each trial), restarts it on the same data, and requires
   * every task to end: succeeded, or failed with a reason. A step may run again (the kill can lose
   * the last second of DynamoDB Local's writes); a task left running is a failure.
   */
  @Test
  void killedLateInARun_restartedOnTheSameData_everyTaskReachesAFinalStatus() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-trials");
    int api = freePort();
    int sfn = freePort();
    int dynamo = freePort();
    process = launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-trial-0.log"));
    awaitUp(api);
    List<String> unfinished = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      // a slow model and staggered starts spread the run, so that the kill finds tasks done, some
      // publishing and
      // some still analysing
      call(api, "PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":400}");
      long succeededBefore = call(api, "GET", "/api/tasks/stats", null).path("succeeded").asLong(0);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TASKS_PER_TRIAL; i++) {
        ids.add(call(api, "POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText());
        Thread.sleep(100);
      }
      int killAfter = 1 + 3 * trial; // 4, 7, ... of 10 succeeded: late in the run, later each time
      Instant runDeadline = Instant.now().plus(Duration.ofSeconds(60));
      long succeeded = 0;
      while ((succeeded =
                  call(api, "GET", "/api/tasks/stats", null).path("succeeded").asLong(0)
                      - succeededBefore)
              < killAfter
          && Instant.now().isBefore(runDeadline)) {
        Thread.sleep(20);
      }
      process.destroyForcibly().waitFor();
      System.out.printf(
          "crash trial %d: killed with %d of %d tasks succeeded%n", trial, succeeded, ids.size());

      process =
          launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-trial-" + trial + ".log"));
      awaitUp(api);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        while (!isFinal(task) && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          task = call(api, "GET", "/api/tasks/" + id, null);
        }
        if (!isFinal(task)) {
          unfinished.add(
              "trial "
                  + trial
                  + ": "
                  + id
                  + " "
                  + task.path("status").asText()
                  + " at "
                  + task.path("currentStep").asText());
        } else if (task.path("status").asText().equals("failed")) {
          assertThat(task.path("error").isObject()).as("a failed task says why: %s", task).isTrue();
        }
      }
    }
    System.out.printf("%d crash trials, %d tasks left unfinished%n", TRIALS, unfinished.size());
    assertThat(unfinished)
        .as("tasks that never reached a final status after the restart")
        .isEmpty();
  }

  /**
   * Issue 24: a task awaiting review survives a kill -9 of the runtime: after the restart on the
   * same data the review is still open (the emulator kept the task token), approving it publishes
   * once, and nothing before the review runs again. Each trial kills the runtime with a few tasks
   * waiting.
   */
  @Test
  void killedWhileTasksAwaitReview_theReviewsStayOpen_andApprovingPublishesOnce() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-review");
    int api = freePort();
    int sfn = freePort();
    int dynamo = freePort();
    process = launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-review-0.log"));
    awaitUp(api);
    List<String> problems = new ArrayList<>();
    int trials = 2;
    int waiting = 3;
    for (int trial = 1; trial <= trials; trial++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        ids.add(
            call(api, "POST", "/api/tasks", "{\"maxPapers\":1,\"review\":true}")
                .path("taskId")
                .asText());
      }
      for (String id : ids) {
        LocalApi.awaitStatus(URI.create("http://localhost:" + api), id, "awaiting_review");
      }
      process.destroyForcibly().waitFor();
      process =
          launch(dataDir, api, sfn, dynamo, Path.of("target", "crash-review-" + trial + ".log"));
      awaitUp(api);
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        if (!task.path("status").asText().equals("awaiting_review")) {
          problems.add(id + " is " + task.path("status").asText() + " after the restart");
          continue;
        }
        call(api, "POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}");
      }
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!isFinal(task) && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          task = call(api, "GET", "/api/tasks/" + id, null);
        }
        JsonNode steps = task.path("steps");
        JsonNode published =
            call(api, "GET", "/api/tasks/" + id + "/checkpoint", null)
                .path("steps")
                .path("publish")
                .path("output")
                .path("posts");
        if (!task.path("status").asText().equals("succeeded")
            || steps.get(5).path("executions").asInt() != 1
            || steps.get(3).path("executions").asInt() != 1
            || published.size() != 1) {
          problems.add(
              id
                  + ": "
                  + task.path("status").asText()
                  + ", publish ran "
                  + steps.get(5).path("executions").asInt()
                  + " times, build_payload "
                  + steps.get(3).path("executions").asInt());
        }
      }
    }
    System.out.printf(
        "crash while awaiting review: %d trials x %d tasks, %d problems%n",
        trials, waiting, problems.size());
    assertThat(problems).isEmpty();
  }

  private static boolean isFinal(JsonNode task) {
    return switch (task.path("status").asText()) {
      case "succeeded", "failed", "cancelled", "rejected" -> true;
      default -> false;
    };
  }

  /**
   * Whether the task's analyze step has started (running or further): fetch_papers is behind it.
   */
  private boolean pastFetch(int api, String id) {
    try {
      String analyze =
          call(api, "GET", "/api/tasks/" + id, null).path("steps").get(1).path("status").asText();
      return !analyze.equals("pending");
    } catch (Exception notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
