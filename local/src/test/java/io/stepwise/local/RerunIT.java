package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rerunning a finished task from a step with changed input, end to end through the local runtime:
 * the earlier steps are not run again, the changed steps are (none of their kept items is reused
 * under the new input), each run's checkpoints stay readable, and a field an earlier step already
 * consumed is refused naming where to start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerunIT {

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private static int executions(JsonNode task, int step) {
    return task.path("steps").get(step).path("executions").asInt();
  }

  @Test
  void
      aSucceededTask_rerunFromAnalyzeInEnglish_redoesTheLaterStepsOnly_andKeepsTheFirstRunsOutputs()
          throws Exception {
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":2,\"language\":\"zh\"}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    int calls = runtime.models().calls().size();

    JsonNode rerun =
        send(
            "POST", "/api/tasks/" + id + "/retry/analyze", "{\"overrides\":{\"language\":\"en\"}}");
    assertThat(rerun.path("status").asText()).isEqualTo("running");
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    assertThat(done.path("input").path("language").asText()).isEqualTo("en");
    assertThat(done.path("runs").get(1).path("startAt").asText()).isEqualTo("analyze");
    assertThat(done.path("runs").get(1).path("overrides").path("language").asText())
        .isEqualTo("en");
    assertThat(done.path("runs").get(0).path("overrides").isNull()).isTrue();
    assertThat(executions(done, 0)).as("fetch_papers is not run again").isEqualTo(1);
    assertThat(executions(done, 1)).isEqualTo(2);
    assertThat(executions(done, 4)).as("publish again, with the new posts").isEqualTo(2);
    assertThat(runtime.models().calls().size() - calls)
        .as("both papers analysed again: no post kept in Chinese is reused")
        .isEqualTo(2);

    JsonNode now = send("GET", "/api/tasks/" + id + "/checkpoint", null);
    assertThat(now.path("steps").path("analyze").path("output").path("language").asText())
        .isEqualTo("en");
    JsonNode first = send("GET", "/api/tasks/" + id + "/checkpoint?run=r0", null);
    assertThat(first.path("steps").path("analyze").path("output").path("language").asText())
        .isEqualTo("zh");
    assertThat(first.path("steps").path("analyze").path("runId").asText()).isEqualTo("r0");
    assertThat(first.path("steps").path("fetch_papers").path("runId").asText()).isEqualTo("r0");
    JsonNode second = send("GET", "/api/tasks/" + id + "/checkpoint?run=r1", null);
    assertThat(second.path("steps").path("fetch_papers").path("status").asText())
        .as("r1 did not write it")
        .isEqualTo("absent");
    assertThat(second.path("steps").path("publish").path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void overridingAFieldAnEarlierStepRead_is409NamingTheStepToStartFrom_andChangesNothing()
      throws Exception {
    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    JsonNode conflict =
        LocalApi.refused(
            runtime.api(),
            "POST",
            "/api/tasks/" + id + "/retry/analyze",
            "{\"overrides\":{\"maxPapers\":3}}");
    assertThat(conflict.path("status").asInt()).isEqualTo(409);
    assertThat(conflict.path("detail").asText())
        .isEqualTo(
            "'maxPapers' is read by fetch_papers, before analyze: to change it, rerun from fetch_papers");
    assertThat(conflict.path("earliestStep").asText()).isEqualTo("fetch_papers");

    assertThat(
            LocalApi.refused(
                    runtime.api(),
                    "POST",
                    "/api/tasks/" + id + "/retry/analyze",
                    "{\"overrides\":{\"language\":\"fr\"}}")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            LocalApi.refused(
                    runtime.api(),
                    "POST",
                    "/api/tasks/" + id + "/retry/analyze",
                    "{\"overrides\":{\"colour\":\"red\"}}")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            LocalApi.refused(
                    runtime.api(),
                    "POST",
                    "/api/tasks/" + id + "/retry/analyze",
                    "{\"override\":{}}")
                .path("detail")
                .asText())
        .contains("takes only 'overrides'");
    JsonNode noStep = LocalApi.refused(runtime.api(), "POST", "/api/tasks/" + id + "/retry", null);
    assertThat(noStep.path("status").asInt()).isEqualTo(409);
    assertThat(noStep.path("detail").asText()).contains("name the step to rerun from");

    JsonNode task = send("GET", "/api/tasks/" + id, null);
    assertThat(task.path("runs")).hasSize(1);
    assertThat(task.path("input").path("maxPapers").asInt()).isEqualTo(1);

    // from fetch_papers the same change is fine, and a note (read by no step) may change from
    // anywhere
    send("POST", "/api/tasks/" + id + "/retry/fetch_papers", "{\"overrides\":{\"maxPapers\":2}}");
    JsonNode again = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(again.path("input").path("maxPapers").asInt()).isEqualTo(2);
    send(
        "POST",
        "/api/tasks/" + id + "/retry/publish",
        "{\"overrides\":{\"note\":\"republished\"}}");
    assertThat(
            LocalApi.awaitStatus(runtime.api(), id, "succeeded")
                .path("input")
                .path("note")
                .asText())
        .isEqualTo("republished");
  }
}
