package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged runtime ({@code java -jar target/stepwise-local.jar --data-dir D}) is killed with
 * SIGKILL while tasks are in flight and started again on the same data: every task finishes, and no
 * step whose result was checkpointed runs again (only the step that was in flight may).
 */
class CrashRecoveryIT extends PackagedRuntimeCrashes {

  @Test
  void killedWithTasksInFlight_restartsAndFinishesThemWithoutRerunningCheckpointedSteps()
      throws Exception {
    start("crash-data", "crash-1.log");
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

    relaunch("crash-2.log");
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
}
