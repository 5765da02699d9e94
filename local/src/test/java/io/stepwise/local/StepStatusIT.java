package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.steps.StepRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Honest step statuses end to end, at a time scale where the state machine's waits can be seen
 * (0.1: the first retry of a transient failure comes within 3 s): a step between automatic retries
 * reads {@code retrying} with the next attempt and its latest start, then {@code succeeded}; a step
 * running when its task is cancelled reads {@code cancelled}, not {@code running} forever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepStatusIT {

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.1));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private final ListAppender<ILoggingEvent> stepLog = new ListAppender<>();

  private static Logger stepRuntimeLogger() {
    return (Logger) LoggerFactory.getLogger(StepRuntime.class);
  }

  /** The step runtime's first line about this task (at most 15 s). */
  private ILoggingEvent awaitStepLine(String taskId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      for (ILoggingEvent e : List.copyOf(stepLog.list)) {
        if (e.getFormattedMessage().contains(taskId)) {
          return e;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the step runtime said nothing about " + taskId);
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private JsonNode step(String taskId, String name) throws Exception {
    for (JsonNode s : send("GET", "/api/tasks/" + taskId, null).path("steps")) {
      if (s.path("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name);
  }

  /** Polls until the step has the status (at most 30 s); the step. */
  private JsonNode awaitStep(String taskId, String name, String status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode s = step(taskId, name);
    while (!s.path("status").asText().equals(status) && Instant.now().isBefore(deadline)) {
      Thread.sleep(25);
      s = step(taskId, name);
    }
    assertThat(s.path("status").asText()).as("step %s", s).isEqualTo(status);
    return s;
  }

  @Test
  void aStepBetweenAutomaticRetries_readsRetrying_thenSucceeded() throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"build_payload\",\"kind\":\"transient\",\"times\":1}");
    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();

    JsonNode waiting = awaitStep(id, "build_payload", "retrying");
    assertThat(waiting.path("attempt").asInt()).isEqualTo(2);
    Instant failedAt = Instant.parse(waiting.path("finishedAt").asText());
    Instant next = Instant.parse(waiting.path("nextAttemptAt").asText());
    assertThat(Duration.between(failedAt, next))
        .as("30 s at time scale 0.1")
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(waiting.path("error").path("type").asText()).isEqualTo("TransientStepException");
    assertThat(send("GET", "/api/tasks/" + id, null).path("status").asText()).isEqualTo("running");

    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(done.path("steps").get(3).path("status").asText()).isEqualTo("succeeded");
    assertThat(done.path("steps").get(3).path("attempts").asInt()).isEqualTo(2);
    assertThat(done.path("steps").get(3).path("nextAttemptAt").isNull()).isTrue();
  }

  @Test
  void aStepRunningWhenItsTaskIsCancelled_readsCancelled() throws Exception {
    // both models slow: the router would otherwise route analyze around the slow one and finish at
    // once
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":3000}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":3000}");
    try {
      String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
      awaitStep(id, "analyze", "running");
      stepLog.start();
      stepRuntimeLogger().addAppender(stepLog);
      send("POST", "/api/tasks/" + id + "/cancel", null);

      JsonNode task = send("GET", "/api/tasks/" + id, null);
      assertThat(task.path("status").asText()).isEqualTo("cancelled");
      assertThat(task.path("steps").get(1).path("status").asText()).isEqualTo("cancelled");
      assertThat(task.path("steps").get(2).path("status").asText()).isEqualTo("pending");
      // The stopped execution interrupts the running analyze; what it logs then is no warning.
      ILoggingEvent stopped = awaitStepLine(id);
      assertThat(stopped.getLevel()).as(stopped.getFormattedMessage()).isEqualTo(Level.INFO);
      assertThat(stopped.getFormattedMessage()).contains("its execution was stopped");
    } finally {
      stepRuntimeLogger().detachAppender(stepLog);
      send("DELETE", "/api/dev/models/local-gpt", null);
      send("DELETE", "/api/dev/models/local-claude", null);
    }
  }
}
