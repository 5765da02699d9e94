package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * End to end through the running local runtime: its HTTP API, the emulator, the five real steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRuntimeIT {

  private LocalRuntime runtime;
  private SfnClient sfn;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
    sfn =
        SfnClient.builder()
            .endpointOverride(runtime.stepFunctions())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  void stop() {
    sfn.close();
    runtime.close();
  }

  @BeforeEach
  void clearFaults() throws Exception {
    send("DELETE", "/api/dev/faults", null);
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private JsonNode awaitStatus(String taskId, String status) throws Exception {
    return LocalApi.awaitStatus(runtime.api(), taskId, status);
  }

  private static int executions(JsonNode task, int step) {
    return task.path("steps").get(step).path("executions").asInt();
  }

  @Test
  void theOpenApiDocument_isServed_andSaysHowToAuthenticate() throws Exception {
    JsonNode document = send("GET", "/api/openapi.json", null);
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(document.path("paths").has("/api/tasks/{taskId}")).isTrue();
    assertThat(
            document
                .path("components")
                .path("securitySchemes")
                .path("bearer")
                .path("bearerFormat")
                .asText())
        .isEqualTo("JWT");
  }

  @Test
  void theListAndTheCounts_filterByPipeline_andAnUnknownPipelineIsA400() throws Exception {
    String digest = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    String report =
        send(
                "POST",
                "/api/tasks",
                "{\"pipeline\":\"research-report\",\"topic\":\"LLM agents\",\"sections\":3,\"language\":\"en\",\"minChars\":200}")
            .path("taskId")
            .asText();
    awaitStatus(digest, "succeeded");
    awaitStatus(report, "succeeded");

    List<String> reports = new ArrayList<>();
    send("GET", "/api/tasks?pipeline=research-report&limit=100", null)
        .path("items")
        .forEach(
            t -> {
              assertThat(t.path("pipeline").asText()).isEqualTo("research-report");
              reports.add(t.path("taskId").asText());
            });
    assertThat(reports).contains(report).doesNotContain(digest);
    List<String> digests = new ArrayList<>();
    send("GET", "/api/tasks?pipeline=paper-digest&status=succeeded&limit=100", null)
        .path("items")
        .forEach(
            t -> {
              assertThat(t.path("pipeline").asText()).isEqualTo("paper-digest");
              digests.add(t.path("taskId").asText());
            });
    assertThat(digests).contains(digest).doesNotContain(report);

    JsonNode all = send("GET", "/api/tasks/stats", null);
    JsonNode ofReports = send("GET", "/api/tasks/stats?pipeline=research-report", null);
    JsonNode ofDigests = send("GET", "/api/tasks/stats?pipeline=paper-digest", null);
    assertThat(ofReports.path("succeeded").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(ofDigests.path("succeeded").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(ofReports.path("succeeded").asLong() + ofDigests.path("succeeded").asLong())
        .as("the tests' echo pipeline aside, the two pipelines' counts add up")
        .isLessThanOrEqualTo(all.path("succeeded").asLong());

    JsonNode problem = LocalApi.refused(runtime.api(), "GET", "/api/tasks?pipeline=nope", null);
    assertThat(problem.path("status").asInt()).isEqualTo(400);
    assertThat(problem.path("detail").asText())
        .contains("'pipeline' must be one of")
        .contains("research-report");
    assertThat(
            LocalApi.refused(runtime.api(), "GET", "/api/tasks/stats?pipeline=nope", null)
                .path("status")
                .asInt())
        .isEqualTo(400);
  }

  @Test
  void taskSucceedsThroughAllFiveRealSteps() throws Exception {
    int published = runtime.mcp().calls().size();
    String id = send("POST", "/api/tasks", "{\"maxPapers\":2}").path("taskId").asText();

    JsonNode task = awaitStatus(id, "succeeded");
    for (int i = 0; i < 5; i++) {
      assertThat(task.path("steps").get(i).path("status").asText()).isEqualTo("succeeded");
      assertThat(executions(task, i)).isEqualTo(1);
    }
    assertThat(task.path("steps").get(1).path("model").asText()).isEqualTo("local-gpt");
    assertThat(runtime.mcp().calls().size() - published).isEqualTo(2);
    JsonNode checkpoint = send("GET", "/api/tasks/" + id + "/checkpoint", null);
    assertThat(checkpoint.path("steps").path("publish").path("output").path("posts")).hasSize(2);
  }

  @Test
  void terminalFault_failsAtTheStep_andRetryResumesThereWithoutRerunningEarlierSteps()
      throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"render_images\",\"kind\":\"terminal\",\"times\":1}");
    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();

    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("render_images");
    assertThat(failed.path("error").path("message").asText()).contains("injected terminal fault");
    assertThat(failed.path("resumable").asBoolean()).isTrue();

    send("POST", "/api/tasks/" + id + "/retry", null);
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(executions(done, 0)).isEqualTo(1);
    assertThat(executions(done, 1)).isEqualTo(1);
    assertThat(executions(done, 2)).isEqualTo(2);
    assertThat(done.path("runs")).hasSize(2);
  }

  @Test
  void retryFromANamedStep_rerunsFromThere() throws Exception {
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}")
            .path("taskId")
            .asText();
    awaitStatus(id, "succeeded");
    send("POST", "/api/dev/faults", "{\"step\":\"publish\",\"kind\":\"terminal\",\"times\":1}");
    // a succeeded task cannot be retried: fail a second task at publish instead and retry it from
    // analyze
    String other =
        send("POST", "/api/tasks", "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}")
            .path("taskId")
            .asText();
    awaitStatus(other, "failed");

    send("POST", "/api/tasks/" + other + "/retry/analyze", null);
    JsonNode done = awaitStatus(other, "succeeded");
    assertThat(executions(done, 0)).isEqualTo(1);
    assertThat(executions(done, 1)).isEqualTo(2);
    assertThat(done.path("runs").get(1).path("startAt").asText()).isEqualTo("analyze");
  }

  @Test
  void transientFaultsBeyondTheRetryBudget_failTheExecution_andARedriveFinishesIt()
      throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"build_payload\",\"kind\":\"transient\",\"times\":4}");
    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();

    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("build_payload");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("TransientStepException");
    assertThat(failed.path("steps").get(3).path("attempts").asInt()).isEqualTo(4);
    String arn = failed.path("runs").get(0).path("executionArn").asText();
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).error())
        .isEqualTo("io.stepwise.steps.errors.TransientStepException");

    sfn.redriveExecution(b -> b.executionArn(arn));
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.path("runs").get(0).path("redriveCount").asInt()).isEqualTo(1);
    assertThat(executions(done, 0)).isEqualTo(1);
    assertThat(executions(done, 1)).isEqualTo(1);
    assertThat(executions(done, 2)).isEqualTo(1);
    assertThat(executions(done, 3)).isEqualTo(5);
  }

  /**
   * A raw HTTP/1.1 exchange (the JDK client would refuse to send some of these); the whole answer
   * as text.
   */
  private String raw(String request) throws Exception {
    try (Socket socket = new Socket(runtime.api().getHost(), runtime.api().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aTooLongUrl_is414_andTooLargeHeaders_are431_asProblems() throws Exception {
    String longUrl =
        raw("GET /api/tasks/" + "x".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(longUrl)
        .startsWith("HTTP/1.1 414 ")
        .contains("application/problem+json")
        .contains("\"status\":414")
        .contains("request line");

    String bigHeaders =
        raw(
            "GET /api/tasks HTTP/1.1\r\nHost: localhost\r\nX-Filler: "
                + "y".repeat(9000)
                + "\r\n\r\n");
    assertThat(bigHeaders)
        .startsWith("HTTP/1.1 431 ")
        .contains("application/problem+json")
        .contains("\"status\":431");

    // the server goes on serving
    assertThat(send("GET", "/api/pipelines", null).isArray()).isTrue();
  }

  @Test
  void aFaultForOneTask_failsOnlyThatTask_andDevEndpointsTakeJsonSentAsCurlsDefaultForm()
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    BiFunction<String, String, Integer> curl =
        (path, json) -> {
          try {
            // what `curl -X POST URL -d '{...}'` sends: no -H, so Content-Type
            // application/x-www-form-urlencoded
            return http.send(
                    HttpRequest.newBuilder(URI.create(runtime.api() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .method(
                            path.contains("/models/") ? "PUT" : "POST",
                            HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    // a slow model keeps both tasks in analyze while the fault is aimed at one of them
    assertThat(curl.apply("/api/dev/models/local-gpt", "{\"latencyMs\":1500}")).isEqualTo(200);
    assertThat(curl.apply("/api/dev/models/local-claude", "{\"latencyMs\":1500}")).isEqualTo(200);
    try {
      String doomed = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
      String spared = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
      assertThat(
              curl.apply(
                  "/api/dev/faults",
                  "{\"step\":\"build_payload\",\"kind\":\"terminal\",\"taskId\":\""
                      + doomed
                      + "\"}"))
          .isEqualTo(202);

      assertThat(awaitStatus(doomed, "failed").path("failedStep").asText())
          .isEqualTo("build_payload");
      assertThat(awaitStatus(spared, "succeeded").path("steps").get(3).path("attempts").asInt())
          .isEqualTo(1);
    } finally {
      send("DELETE", "/api/dev/models/local-gpt", null);
      send("DELETE", "/api/dev/models/local-claude", null);
    }
    assertThat(
            curl.apply(
                "/api/dev/faults",
                "{\"step\":\"build_payload\",\"kind\":\"terminal\",\"times\":\"x\"}"))
        .isEqualTo(400);
  }
}
