package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.pipelines.echo.Echo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A second pipeline that lives only in the test sources ({@link Echo}: its ASL, bodies, handlers
 * and input) runs end to end through the local runtime and the emulator, and retries from its
 * second step: the core needed no change to carry it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPipelineIT {

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

  private JsonNode refused(String method, String path, String body) throws Exception {
    return LocalApi.refused(runtime.api(), method, path, body);
  }

  private JsonNode awaitStatus(String taskId, String status) throws Exception {
    return LocalApi.awaitStatus(runtime.api(), taskId, status);
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.path(field).asText()));
    return names;
  }

  @Test
  void pipelines_listsTheDigestAndTheTestPipeline_withTheirStepsAndSchemas() throws Exception {
    JsonNode pipelines = send("GET", "/api/pipelines", null);
    assertThat(names(pipelines, "name"))
        .containsExactly(Echo.NAME, "paper-digest", "research-report");
    for (JsonNode p : pipelines) {
      if (p.path("name").asText().equals(Echo.NAME)) {
        assertThat(names(p.path("steps"), "name")).containsExactly("greet", "shout");
        assertThat(names(p.path("steps"), "state")).containsExactly("Greet", "Shout");
        assertThat(names(p.path("steps"), "label")).containsExactly("Greet", "Shout");
        assertThat(p.path("inputSchema").path("properties").has("name")).isTrue();
        assertThat(p.path("resultKind").asText())
            .as("a pipeline with no view of its own")
            .isEqualTo("json");
        assertThat(p.path("default").asBoolean()).isFalse();
      }
      if (p.path("name").asText().equals("paper-digest")) {
        // its review step is listed in its place; a task without review skips (and hides) it
        assertThat(names(p.path("steps"), "name"))
            .containsExactly(
                "fetch_papers", "analyze", "render_images", "build_payload", "review", "publish");
        assertThat(names(p.path("steps"), "label"))
            .containsExactly(
                "Fetch papers", "Analyze", "Render images", "Build payload", "Review", "Publish");
        assertThat(p.path("review").path("after").asText()).isEqualTo("build_payload");
        assertThat(p.path("resultKind").asText()).isEqualTo("posts");
        assertThat(p.path("default").asBoolean()).as("the configured default pipeline").isTrue();
      }
      if (p.path("name").asText().equals("research-report")) {
        assertThat(p.path("resultKind").asText()).isEqualTo("report");
        assertThat(names(p.path("steps"), "label")).contains("Write sections", "Write report");
        assertThat(p.path("default").asBoolean()).isFalse();
      }
    }
  }

  @Test
  void testPipelineTask_runsBothStepsThroughTheEmulator() throws Exception {
    JsonNode created = send("POST", "/api/tasks", "{\"pipeline\":\"echo\",\"name\":\"ada\"}");
    assertThat(created.path("pipeline").asText()).isEqualTo(Echo.NAME);
    assertThat(created.path("input").path("name").asText()).isEqualTo("ada");

    JsonNode task = awaitStatus(created.path("taskId").asText(), "succeeded");
    assertThat(names(task.path("steps"), "name")).containsExactly("greet", "shout");
    assertThat(names(task.path("steps"), "status")).containsExactly("succeeded", "succeeded");
    JsonNode checkpoint =
        send("GET", "/api/tasks/" + task.path("taskId").asText() + "/checkpoint", null);
    assertThat(checkpoint.path("steps").path("shout").path("output").path("text").asText())
        .isEqualTo("HELLO, ADA!");
    JsonNode result = send("GET", "/api/tasks/" + task.path("taskId").asText() + "/result", null);
    assertThat(result.toString())
        .as("without a result of its own: its last step's output")
        .isEqualTo("{\"text\":\"HELLO, ADA!\"}");
  }

  @Test
  void batchOfTheTestPipeline_namedByItsTaskTemplate_runsItsTasks_andAnUnknownPipelineIs400()
      throws Exception {
    JsonNode batch =
        send(
            "POST",
            "/api/batches",
            "{\"count\":2,\"task\":{\"pipeline\":\"echo\",\"name\":\"bo\"}}");
    assertThat(batch.path("taskIds")).hasSize(2);
    for (JsonNode id : batch.path("taskIds")) {
      JsonNode task = awaitStatus(id.asText(), "succeeded");
      assertThat(task.path("pipeline").asText()).isEqualTo(Echo.NAME);
      assertThat(names(task.path("steps"), "name")).containsExactly("greet", "shout");
      assertThat(send("GET", "/api/tasks/" + id.asText() + "/result", null).path("text").asText())
          .isEqualTo("HELLO, BO!");
    }
    JsonNode unknown =
        refused("POST", "/api/batches", "{\"count\":2,\"task\":{\"pipeline\":\"nope\"}}");
    assertThat(unknown.path("status").asInt()).isEqualTo(400);
    assertThat(unknown.path("detail").asText())
        .contains("task.pipeline")
        .contains("paper-digest")
        .contains(Echo.NAME);
  }

  @Test
  void testPipelineTask_failedAtItsSecondStep_retriesFromThereWithoutRedoingTheFirst()
      throws Exception {
    Echo.failNextShout = true;
    String id =
        send("POST", "/api/tasks", "{\"pipeline\":\"echo\",\"name\":\"grace\"}")
            .path("taskId")
            .asText();
    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("shout");
    int greets = Echo.GREETS.get();

    JsonNode retried = send("POST", "/api/tasks/" + id + "/retry", null);
    assertThat(retried.path("runs").get(1).path("startAt").asText()).isEqualTo("shout");
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(Echo.GREETS.get()).as("greet ran again").isEqualTo(greets);
    assertThat(done.path("steps").get(0).path("executions").asInt()).isEqualTo(1);
    assertThat(done.path("steps").get(1).path("executions").asInt()).isEqualTo(2);
    JsonNode checkpoint = send("GET", "/api/tasks/" + id + "/checkpoint", null);
    assertThat(checkpoint.path("steps").path("shout").path("output").path("text").asText())
        .isEqualTo("HELLO, GRACE!");
  }

  @Test
  void testPipelineTask_retryFromAStepOfAnotherPipeline_is400NamingItsOwnSteps() throws Exception {
    Echo.failNextShout = true;
    String id = send("POST", "/api/tasks", "{\"pipeline\":\"echo\"}").path("taskId").asText();
    awaitStatus(id, "failed");
    JsonNode refused = refused("POST", "/api/tasks/" + id + "/retry/analyze", null);
    assertThat(refused.path("status").asInt()).isEqualTo(400);
    assertThat(refused.path("detail").asText()).contains("greet, shout");
  }

  @Test
  void testPipelineInput_isReadByThePipeline_andAnUnknownPipelineIs400() throws Exception {
    JsonNode badField = refused("POST", "/api/tasks", "{\"pipeline\":\"echo\",\"maxPapers\":2}");
    assertThat(badField.path("status").asInt()).isEqualTo(400);
    assertThat(badField.path("detail").asText()).contains("maxPapers");
    JsonNode unknown = refused("POST", "/api/tasks", "{\"pipeline\":\"nope\"}");
    assertThat(unknown.path("status").asInt()).isEqualTo(400);
    assertThat(unknown.path("detail").asText()).contains("paper-digest").contains(Echo.NAME);
  }
}
