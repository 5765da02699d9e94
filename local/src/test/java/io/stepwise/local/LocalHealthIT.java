package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Model health end to end through the running local runtime: its schedule, the health API, the dev
 * endpoint that changes a local model server's behaviour, and analyze routing around a failing
 * primary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalHealthIT {

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    // No minimum gap, so each POST .../check probes; the primary weighs 10, so it is the router's
    // choice while up.
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.001),
            Map.of(
                "stepwise.health.min-gap", "0s",
                "stepwise.health.interval", "30s",
                "stepwise.models.local-gpt.weight", 10));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  @BeforeEach
  void healthyModels() throws Exception {
    send("DELETE", "/api/dev/models/local-gpt", null);
    send("DELETE", "/api/dev/models/local-claude", null);
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private static JsonNode model(JsonNode health, String name) {
    for (JsonNode m : health.path("models")) {
      if (m.path("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no " + name + " in " + health);
  }

  @Test
  void theScheduledCheck_servesLiveHealthWithoutBeingAsked() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode health = send("GET", "/api/models/health", null);
    while (health.path("checkedAt").isNull() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      health = send("GET", "/api/models/health", null);
    }
    assertThat(health.path("intervalSeconds").asInt()).isEqualTo(30);
    assertThat(model(health, "local-gpt").path("lastCheck").isNull())
        .as("the schedule ran: %s", health)
        .isFalse();
    assertThat(model(health, "local-claude").path("provider").asText()).isEqualTo("anthropic");
    assertThat(model(health, "openai").path("status").asText())
        .as("the real provider is disabled locally")
        .isEqualTo("unknown");
  }

  @Test
  void aModelMadeToFail_showsUnhealthyAfterACheck_andRecovers() throws Exception {
    send("PUT", "/api/dev/models/local-gpt", "{\"status\":401}");
    JsonNode health = send("POST", "/api/models/health/check", null);
    assertThat(model(health, "local-gpt").path("status").asText()).isEqualTo("unhealthy");
    assertThat(model(health, "local-gpt").path("error").path("code").asText()).isEqualTo("auth");
    assertThat(model(health, "local-claude").path("status").asText()).isEqualTo("healthy");

    send("PUT", "/api/dev/models/local-gpt", "{\"status\":503}");
    send("POST", "/api/models/health/check", null);
    send("POST", "/api/models/health/check", null);
    health = send("POST", "/api/models/health/check", null);
    assertThat(model(health, "local-gpt").path("status").asText()).isEqualTo("unhealthy");
    assertThat(model(health, "local-gpt").path("error").path("code").asText())
        .isEqualTo("http_503");

    send("DELETE", "/api/dev/models/local-gpt", null);
    health = send("POST", "/api/models/health/check", null);
    assertThat(model(health, "local-gpt").path("status").asText()).isEqualTo("healthy");
    JsonNode detail = send("GET", "/api/models/health/local-gpt", null);
    assertThat(detail.path("history").size()).isGreaterThanOrEqualTo(5);
    assertThat(detail.path("history").get(0).path("ok").asBoolean()).isTrue();
  }

  @Test
  void analyze_fallsBackToTheAnthropicModel_whenThePrimaryFails() throws Exception {
    send("POST", "/api/models/health/check", null);
    send("PUT", "/api/dev/models/local-gpt", "{\"status\":500}");
    String id = send("POST", "/api/tasks", "{\"maxPapers\":2}").path("taskId").asText();

    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode task = send("GET", "/api/tasks/" + id, null);
    while (!task.path("status").asText().equals("succeeded")
        && !task.path("status").asText().equals("failed")
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      task = send("GET", "/api/tasks/" + id, null);
    }
    assertThat(task.path("status").asText()).as("%s", task).isEqualTo("succeeded");
    JsonNode posts =
        send("GET", "/api/tasks/" + id + "/checkpoint", null)
            .path("steps")
            .path("analyze")
            .path("output")
            .path("posts");
    assertThat(posts.size()).isEqualTo(2);
    assertThat(posts.get(0).path("model").asText()).isEqualTo("local-claude");
    assertThat(posts.get(1).path("model").asText()).isEqualTo("local-claude");
    // The two papers run at once (stepwise.pipelines.paper-digest.steps.analyze.concurrency): at
    // least one met the failing primary; the other
    // met it too or found it already cooling down.
    List<String> reasons =
        List.of(
            posts.get(0).path("modelReason").asText(), posts.get(1).path("modelReason").asText());
    assertThat(reasons)
        .contains("fallback: local-gpt unavailable")
        .allSatisfy(r -> assertThat(r).isIn("fallback: local-gpt unavailable", "chosen"));
    assertThat(task.path("steps").get(1).path("model").asText()).isEqualTo("local-claude");
  }
}
