package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.fakes.ModelServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A task's usage, end to end through the local runtime, against what the local model server
 * answered: every answered call counted once, its tokens as reported, its cost at the local models'
 * example prices; a rerun from a later step pays nothing again and shows what it reused as {@code
 * savedUsd}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskUsageIT {

  /** USD per million tokens (input, output) of the local models, by the model id they answer as. */
  private static final Map<String, double[]> PRICES =
      Map.of(
          "gpt-4o-mini-local",
          new double[] {0.15, 0.60},
          "claude-haiku-local",
          new double[] {0.80, 4.00});

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

  private static double cost(List<ModelServer.Answered> answers) {
    double usd = 0;
    for (ModelServer.Answered a : answers) {
      double[] price = PRICES.get(a.model());
      usd += (a.inputTokens() * price[0] + a.outputTokens() * price[1]) / 1_000_000d;
    }
    return usd;
  }

  private static JsonNode step(JsonNode task, String name) {
    for (JsonNode s : task.path("steps")) {
      if (s.path("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name);
  }

  private static void assertUsage(JsonNode usage, List<ModelServer.Answered> answers) {
    assertThat(usage.path("calls").asInt()).isEqualTo(answers.size());
    assertThat(usage.path("inputTokens").asLong())
        .isEqualTo(answers.stream().mapToLong(ModelServer.Answered::inputTokens).sum());
    assertThat(usage.path("outputTokens").asLong())
        .isEqualTo(answers.stream().mapToLong(ModelServer.Answered::outputTokens).sum());
    assertThat(usage.path("costUsd").asDouble()).isCloseTo(cost(answers), within(1e-7));
    assertThat(usage.path("estimatedCalls").asInt()).isZero();
  }

  @Test
  void aTasksUsage_isWhatTheModelServerAnswered_andARerunFromALaterStep_savesTheReusedStepsCost()
      throws Exception {
    int before = runtime.models().answered().size();
    String id = send("POST", "/api/tasks", "{\"maxPapers\":3}").path("taskId").asText();
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    List<ModelServer.Answered> answers =
        runtime.models().answered().subList(before, runtime.models().answered().size());

    assertThat(answers).hasSizeGreaterThanOrEqualTo(3);
    assertUsage(done.path("usage"), answers);
    assertUsage(step(done, "analyze").path("usage"), answers);
    assertThat(step(done, "fetch_papers").path("usage").path("calls").asInt()).isZero();
    assertThat(done.path("savedUsd").asDouble()).isZero();
    double analyzeCost = step(done, "analyze").path("usage").path("costUsd").asDouble();
    assertThat(analyzeCost).isPositive();

    int beforeRerun = runtime.models().answered().size();
    send("POST", "/api/tasks/" + id + "/retry/render_images", null);
    JsonNode rerun = LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    assertThat(runtime.models().answered()).as("nothing paid again").hasSize(beforeRerun);
    assertThat(rerun.path("runs")).hasSize(2);
    assertUsage(rerun.path("usage"), answers);
    assertThat(rerun.path("savedUsd").asDouble())
        .as("fetch_papers' and analyze's outputs were reused")
        .isCloseTo(analyzeCost, within(1e-8));
    System.out.printf(
        "task usage: %s; savedUsd after the rerun from render_images: %s%n",
        rerun.path("usage"), rerun.path("savedUsd"));
    // listed as it is read
    JsonNode listed = send("GET", "/api/tasks?limit=100", null);
    for (JsonNode t : listed.path("items")) {
      if (t.path("taskId").asText().equals(id)) {
        assertThat(t.path("savedUsd").asDouble()).isCloseTo(analyzeCost, within(1e-8));
        assertThat(t.path("usage")).isEqualTo(rerun.path("usage"));
      }
    }
  }
}
