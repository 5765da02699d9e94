package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.fakes.ModelServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Retry-After honoured end to end, with one model (the other disabled) at time scale 0.1: a 429
 * asking for 40 s (more than the 20 s a step waits inside its invocation) makes the state machine
 * wait 40 s × 0.1 in its Wait state and run the step again, which succeeds; a 429 asking for 5 s is
 * waited out inside the invocation. Neither spends a transient retry. A step that keeps being rate
 * limited fails at its own state after five waits, so a console redrive runs it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

  private static final String MODEL = "gpt-4o-mini-local";
  private static final double SCALE = 0.1;

  private LocalRuntime runtime;
  private SfnClient sfn;

  @BeforeAll
  void start() {
    runtime =
        LocalRuntime.start(
            Options.ephemeral(SCALE), Map.of("stepwise.models.local-claude.enabled", false));
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
  void reset() {
    runtime.models().reset();
  }

  /** The chat requests the model got (not the health check's model listings). */
  private List<ModelServer.Call> chats() {
    return runtime.models().calls(MODEL).stream()
        .filter(c -> c.protocol().equals("openai"))
        .toList();
  }

  private JsonNode analyze(JsonNode task) {
    return task.path("steps").get(1);
  }

  private List<HistoryEvent> history(JsonNode task) {
    String arn = task.path("runs").get(0).path("executionArn").asText();
    return sfn.getExecutionHistory(r -> r.executionArn(arn)).events();
  }

  @Test
  void aLongRetryAfter_isWaitedOutByTheStateMachine_thenTheStepSucceeds() throws Exception {
    runtime.models().rateLimitNext(MODEL, 1, 40);
    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1}")
            .path("taskId")
            .asText();

    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(analyze(done).path("attempts").asInt())
        .as("one rate-limited attempt, one that answered")
        .isEqualTo(2);
    assertThat(chats()).hasSize(2);

    List<HistoryEvent> events = history(done);
    List<HistoryEvent> waits =
        events.stream()
            .filter(
                e ->
                    e.type() == HistoryEventType.WAIT_STATE_ENTERED
                        || e.type() == HistoryEventType.WAIT_STATE_EXITED)
            .toList();
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0).stateEnteredEventDetails().name()).isEqualTo("AnalyzeWaitRateLimit");
    Duration waited = Duration.between(waits.get(0).timestamp(), waits.get(1).timestamp());
    System.out.println(
        "Retry-After 40 s at time scale "
            + SCALE
            + ": the state machine waited "
            + waited.toMillis()
            + " ms");
    assertThat(waited).as("40 s x 0.1").isBetween(Duration.ofMillis(3900), Duration.ofMillis(5500));
    long transientRetries =
        events.stream()
            .filter(e -> e.type() == HistoryEventType.TASK_STATE_ENTERED)
            .filter(e -> e.stateEnteredEventDetails().name().equals("Analyze"))
            .count();
    assertThat(transientRetries)
        .as("Analyze entered twice: first run and after the wait, no Retry in between")
        .isEqualTo(2);
    assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_FAILED).count())
        .as("the one failed invocation is the rate limit")
        .isEqualTo(1);
  }

  @Test
  void aShortRetryAfter_isWaitedOutInsideTheInvocation() throws Exception {
    runtime.models().rateLimitNext(MODEL, 1, 5);
    Instant before = Instant.now();
    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1}")
            .path("taskId")
            .asText();

    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(analyze(done).path("attempts").asInt()).as("no second invocation").isEqualTo(1);
    assertThat(chats()).hasSize(2);
    assertThat(analyze(done).path("durationMs").asLong())
        .as("5 s x 0.1 slept in the invocation")
        .isGreaterThanOrEqualTo(500);
    System.out.println(
        "Retry-After 5 s at time scale "
            + SCALE
            + ": analyze took "
            + analyze(done).path("durationMs").asLong()
            + " ms in one invocation; task "
            + Duration.between(before, Instant.now()).toMillis()
            + " ms");
    assertThat(history(done).stream().filter(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED))
        .isEmpty();
  }

  @Test
  void
      aStepWaitingOutARateLimit_readsRetrying_afterFiveWaitsFailsAtItsOwnState_andAConsoleRedriveRunsItAgain()
          throws Exception {
    runtime.models().rateLimitNext(MODEL, 100, 25);
    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1}")
            .path("taskId")
            .asText();

    JsonNode waiting = awaitAnalyze(id, "retrying");
    assertThat(waiting.path("error").path("type").asText()).isEqualTo("RateLimitedException");
    assertThat(waiting.path("error").path("message").asText()).contains("(retry after 25 s)");
    Duration shown =
        Duration.between(
            Instant.parse(waiting.path("finishedAt").asText()),
            Instant.parse(waiting.path("nextAttemptAt").asText()));
    assertThat(shown).as("25 s at time scale 0.1").isEqualTo(Duration.ofMillis(2500));

    JsonNode failed = LocalApi.awaitStatus(runtime.api(), id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("analyze");
    assertThat(failed.path("error").path("type").asText())
        .isEqualTo("RateLimitBudgetSpentException");
    assertThat(failed.path("error").path("message").asText())
        .contains("after 5 of 5 rate-limit waits");
    assertThat(analyze(failed).path("attempts").asInt())
        .as("the first run and five after a wait")
        .isEqualTo(6);
    List<HistoryEvent> events = history(failed);
    assertThat(events.stream().filter(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED))
        .hasSize(5);
    List<String> entered =
        events.stream()
            .filter(e -> e.stateEnteredEventDetails() != null)
            .map(e -> e.stateEnteredEventDetails().name())
            .toList();
    assertThat(entered.get(entered.size() - 1))
        .as("the execution fails at the step's own state")
        .isEqualTo("Analyze");
    assertThat(entered).doesNotContain("RecordFailure", "Failed");

    // The provider recovers (and the model's cooldown, 25 s at this time scale, runs out); an
    // operator redrives the
    // failed execution as the AWS console does: analyze runs again.
    runtime.models().reset();
    Thread.sleep(
        Math.round(25_000 * SCALE)
            + 500); // the last 429's cooldown: Retry-After 25 s at this time scale
    String arn = failed.path("runs").get(0).path("executionArn").asText();
    sfn.redriveExecution(r -> r.executionArn(arn));
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(done.path("runs").get(0).path("redriveCount").asInt()).isEqualTo(1);
    assertThat(analyze(done).path("status").asText()).isEqualTo("succeeded");
    assertThat(analyze(done).path("attempts").asInt())
        .as("one more run of analyze, by the redrive")
        .isEqualTo(7);
  }

  private JsonNode awaitAnalyze(String taskId, String status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode s = analyze(LocalApi.send(runtime.api(), "GET", "/api/tasks/" + taskId, null));
    while (!s.path("status").asText().equals(status) && Instant.now().isBefore(deadline)) {
      Thread.sleep(25);
      s = analyze(LocalApi.send(runtime.api(), "GET", "/api/tasks/" + taskId, null));
    }
    assertThat(s.path("status").asText()).as("analyze %s", s).isEqualTo(status);
    return s;
  }
}
