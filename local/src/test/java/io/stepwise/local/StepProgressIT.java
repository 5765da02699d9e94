package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code steps[].progress} end to end: with both local models slowed, analyze is watched mid-way
 * (papers analysed of the papers fetched) in the task and in the task list, never going backwards,
 * and the field is null once the step has succeeded; the research report's write_sections likewise
 * (sections written of the plan's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepProgressIT {

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    // one paper (one section) at a time, so that the items finish one after another
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.001),
            Map.of(
                "stepwise.pipelines.paper-digest.steps.analyze.concurrency",
                "1",
                "stepwise.pipelines.research-report.concurrency",
                "1"));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private static JsonNode analyze(JsonNode task) {
    return task.path("steps").get(1);
  }

  @Test
  void analyzeOverTheFeedsPapers_showsDoneOfTotal_inTheTaskAndTheList_thenNoProgressOnceSucceeded()
      throws Exception {
    // both models slow (the router would route around one slow model): about 0.6 s a paper
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":600}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":600}");
    try {
      String id = send("POST", "/api/tasks", "{\"maxPapers\":20}").path("taskId").asText();
      List<JsonNode> seen = new ArrayList<>();
      JsonNode listed = null;
      JsonNode task = send("GET", "/api/tasks/" + id, null);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!task.path("status").asText().equals("succeeded") && System.nanoTime() < deadline) {
        JsonNode progress = analyze(task).path("progress");
        if (!progress.isMissingNode() && !progress.isNull()) {
          assertThat(analyze(task).path("status").asText()).isEqualTo("running");
          seen.add(progress);
          if (listed == null && progress.path("done").asInt() < progress.path("total").asInt()) {
            for (JsonNode item : send("GET", "/api/tasks?status=running", null).path("items")) {
              if (item.path("taskId").asText().equals(id)) {
                listed = analyze(item).path("progress");
              }
            }
          }
        }
        Thread.sleep(20);
        task = send("GET", "/api/tasks/" + id, null);
      }
      assertThat(task.path("status").asText()).isEqualTo("succeeded");

      int fetched =
          send("GET", "/api/tasks/" + id + "/checkpoint", null)
              .path("steps")
              .path("fetch_papers")
              .path("output")
              .path("papers")
              .size();
      assertThat(fetched).as("the local feed's recent papers").isGreaterThanOrEqualTo(3);
      assertThat(seen).as("progress seen while analyze ran").isNotEmpty();
      assertThat(seen).allSatisfy(p -> assertThat(p.path("total").asInt()).isEqualTo(fetched));
      assertThat(seen)
          .anySatisfy(p -> assertThat(p.path("done").asInt()).isBetween(1, fetched - 1));
      for (int i = 1; i < seen.size(); i++) {
        assertThat(seen.get(i).path("done").asInt())
            .as("never backwards")
            .isGreaterThanOrEqualTo(seen.get(i - 1).path("done").asInt());
      }
      assertThat(listed).as("the task list shows the running step's progress too").isNotNull();
      assertThat(listed.path("total").asInt()).isEqualTo(fetched);
      assertThat(listed.path("done").asInt()).isLessThanOrEqualTo(fetched);

      for (JsonNode step : task.path("steps")) {
        // the API shows every field of its shapes: an unknown progress is null, as the other absent
        // values
        assertThat(step.has("progress") && step.get("progress").isNull())
            .as("no progress once %s succeeded", step.path("name").asText())
            .isTrue();
      }
    } finally {
      send("DELETE", "/api/dev/models/local-gpt", null);
      send("DELETE", "/api/dev/models/local-claude", null);
    }
  }

  @Test
  void writeSections_showsSectionsWrittenOfThePlans() throws Exception {
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":600}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":600}");
    try {
      String id =
          send(
                  "POST",
                  "/api/tasks",
                  "{\"pipeline\":\"research-report\",\"topic\":\"retrieval augmented generation\",\"sections\":5,\"language\":\"en\",\"minChars\":200}")
              .path("taskId")
              .asText();
      List<JsonNode> seen = new ArrayList<>();
      JsonNode task = send("GET", "/api/tasks/" + id, null);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!task.path("status").asText().matches("succeeded|failed")
          && System.nanoTime() < deadline) {
        JsonNode progress = task.path("steps").get(2).path("progress");
        if (!progress.isMissingNode() && !progress.isNull()) {
          assertThat(task.path("steps").get(2).path("name").asText()).isEqualTo("write_sections");
          seen.add(progress);
        }
        Thread.sleep(20);
        task = send("GET", "/api/tasks/" + id, null);
      }
      assertThat(task.path("status").asText()).isEqualTo("succeeded");
      assertThat(seen).as("progress seen while write_sections ran").isNotEmpty();
      assertThat(seen).allSatisfy(p -> assertThat(p.path("total").asInt()).isEqualTo(5));
      assertThat(seen).anySatisfy(p -> assertThat(p.path("done").asInt()).isBetween(1, 4));
      for (int i = 1; i < seen.size(); i++) {
        assertThat(seen.get(i).path("done").asInt())
            .as("never backwards")
            .isGreaterThanOrEqualTo(seen.get(i - 1).path("done").asInt());
      }
    } finally {
      send("DELETE", "/api/dev/models/local-gpt", null);
      send("DELETE", "/api/dev/models/local-claude", null);
    }
  }
}
