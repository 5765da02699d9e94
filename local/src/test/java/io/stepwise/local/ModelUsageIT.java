package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.fakes.ModelServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/models/usage} through the local runtime, against what the local model server saw:
 * each model's calls, successes, failures by kind, tokens, cost and latency percentiles over the
 * window, per pipeline; a bad window or pipeline is a 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelUsageIT {

  private static final String GPT = "gpt-4o-mini-local";

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

  private JsonNode model(String query, String name) throws Exception {
    for (JsonNode m : send("GET", "/api/models/usage" + query, null).path("models")) {
      if (m.path("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no model " + name);
  }

  @Test
  void eachModelsCalls_areWhatTheServerSaw_answeredOrFailed_perPipeline() throws Exception {
    ModelServer server = runtime.models();
    String id = send("POST", "/api/tasks", "{\"maxPapers\":2}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    // local-gpt refuses its key: analyze falls back to local-claude, each refusal a failed call
    send("PUT", "/api/dev/models/local-gpt", "{\"status\":401}");
    String second = send("POST", "/api/tasks", "{\"maxPapers\":2}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), second, "succeeded");
    send("DELETE", "/api/dev/models/local-gpt", null);

    List<ModelServer.Answered> answered =
        server.answered().stream().filter(a -> a.model().equals(GPT)).toList();
    // chat requests with a conversation (the runtime's start-up sends the server one empty body)
    int chats = (int) server.calls(GPT).stream().filter(c -> c.body().has("messages")).count();
    int refused = chats - answered.size();
    assertThat(refused).as("local-gpt refused the second task's calls").isPositive();

    JsonNode gpt = model("?window=1h", "local-gpt");
    assertThat(gpt.path("calls").asLong()).isEqualTo(chats);
    assertThat(gpt.path("successes").asLong()).isEqualTo(answered.size());
    assertThat(gpt.path("failures").path("TerminalStepException").asLong()).isEqualTo(refused);
    assertThat(gpt.path("inputTokens").asLong())
        .isEqualTo(answered.stream().mapToLong(ModelServer.Answered::inputTokens).sum());
    assertThat(gpt.path("outputTokens").asLong())
        .isEqualTo(answered.stream().mapToLong(ModelServer.Answered::outputTokens).sum());
    assertThat(gpt.path("costUsd").asDouble())
        .isCloseTo(answered.size() * (120 * 0.15 + 80 * 0.60) / 1e6, within(1e-8));
    long p50 = gpt.path("latencyMs").path("p50").asLong();
    assertThat(p50).isPositive();
    assertThat(gpt.path("latencyMs").path("p95").asLong()).isGreaterThanOrEqualTo(p50);

    JsonNode claude = model("?window=24h", "local-claude");
    assertThat(claude.path("successes").asLong())
        .as("the fallback answered the second task")
        .isEqualTo(
            server.answered().stream().filter(a -> a.model().equals("claude-haiku-local")).count())
        .isPositive();

    assertThat(model("?window=7d&pipeline=paper-digest", "local-gpt").path("calls").asLong())
        .isEqualTo(gpt.path("calls").asLong());
    JsonNode report = model("?window=1h&pipeline=research-report", "local-gpt");
    assertThat(report.path("calls").asLong()).isZero();
    assertThat(report.path("latencyMs").path("p50").isNull()).isTrue();
  }

  @Test
  void aWindowOrPipelineNotOffered_is400NamingWhatIs() throws Exception {
    JsonNode window = LocalApi.refused(runtime.api(), "GET", "/api/models/usage?window=2h", null);
    assertThat(window.path("status").asInt()).isEqualTo(400);
    assertThat(window.path("detail").asText()).isEqualTo("'window' must be 1h, 24h or 7d");
    JsonNode pipeline =
        LocalApi.refused(runtime.api(), "GET", "/api/models/usage?pipeline=nope", null);
    assertThat(pipeline.path("status").asInt()).isEqualTo(400);
    assertThat(pipeline.path("detail").asText()).startsWith("'pipeline' must be one of ");
    assertThat(send("GET", "/api/models/usage", null).path("window").asText()).isEqualTo("24h");
  }
}
