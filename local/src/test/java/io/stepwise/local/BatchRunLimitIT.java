package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A batch's run limit and pause on the running local product: slowed local models keep each task in
 * analyze long enough for several to overlap; the batch's running count, sampled through the API
 * all along, never exceeds its {@code maxRunning}, and the next tasks start as others finish (the
 * emulator's status events reach execution-events, which starts them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchRunLimitIT {

  private static final int TASKS = 8;
  private static final int MAX_RUNNING = 3;

  private LocalRuntime runtime;
  private URI api;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.01));
    api = runtime.api();
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  @AfterEach
  void resetModels() throws Exception {
    LocalApi.send(api, "DELETE", "/api/dev/models/local-gpt", null);
    LocalApi.send(api, "DELETE", "/api/dev/models/local-claude", null);
  }

  private void slowModels(int ms) throws Exception {
    String body = "{\"latencyMs\":" + ms + "}";
    LocalApi.send(api, "PUT", "/api/dev/models/local-gpt", body);
    LocalApi.send(api, "PUT", "/api/dev/models/local-claude", body);
  }

  private JsonNode batch(String id) throws Exception {
    return LocalApi.send(api, "GET", "/api/batches/" + id, null);
  }

  @Test
  void slowBatch_neverRunsMoreThanMaxRunning_andEveryTaskFinishes() throws Exception {
    slowModels(400);
    JsonNode created =
        LocalApi.send(
            api,
            "POST",
            "/api/batches",
            "{\"count\":"
                + TASKS
                + ",\"maxRunning\":"
                + MAX_RUNNING
                + ",\"task\":{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}}");
    String id = created.path("batchId").asText();
    int max = 0;
    int samples = 0;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode b = batch(id);
    while (!b.path("status").asText().equals("finished") && Instant.now().isBefore(deadline)) {
      int running = b.path("stats").path("running").asInt();
      max = Math.max(max, running);
      samples++;
      assertThat(running)
          .as("running tasks, sample %d: %s", samples, b)
          .isLessThanOrEqualTo(MAX_RUNNING);
      Thread.sleep(20);
      b = batch(id);
    }
    System.out.printf(
        "batch run limit: sampled max running %d of maxRunning %d (%d samples, %d tasks)%n",
        max, MAX_RUNNING, samples, TASKS);
    assertThat(b.path("status").asText()).as("%s", b).isEqualTo("finished");
    assertThat(b.path("stats").path("succeeded").asInt()).as("%s", b).isEqualTo(TASKS);
    assertThat(b.path("progress").path("percent").asInt()).isEqualTo(100);
    assertThat(max).as("the limit was reached: tasks did overlap").isEqualTo(MAX_RUNNING);
  }

  @Test
  void pausedBatch_startsNothingNew_untilResumed() throws Exception {
    slowModels(400);
    JsonNode created =
        LocalApi.send(
            api,
            "POST",
            "/api/batches",
            "{\"count\":5,\"maxRunning\":2,\"task\":{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}}");
    String id = created.path("batchId").asText();
    JsonNode paused = LocalApi.send(api, "POST", "/api/batches/" + id + "/pause", null);
    assertThat(paused.path("status").asText()).isEqualTo("paused");
    assertThat(
            LocalApi.refused(api, "POST", "/api/batches/" + id + "/pause", null)
                .path("status")
                .asInt())
        .isEqualTo(409);

    // the two running tasks finish; nothing else starts while paused
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode b = batch(id);
    while (b.path("stats").path("running").asInt() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      b = batch(id);
    }
    assertThat(b.path("stats").path("succeeded").asInt()).as("%s", b).isEqualTo(2);
    Thread.sleep(500);
    b = batch(id);
    assertThat(b.path("stats").path("pending").asInt()).as("%s", b).isEqualTo(3);
    assertThat(b.path("status").asText()).isEqualTo("paused");

    JsonNode resumed = LocalApi.send(api, "POST", "/api/batches/" + id + "/resume", null);
    assertThat(resumed.path("status").asText()).isEqualTo("running");
    deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!b.path("status").asText().equals("finished") && Instant.now().isBefore(deadline)) {
      assertThat(b.path("stats").path("running").asInt()).isLessThanOrEqualTo(2);
      Thread.sleep(50);
      b = batch(id);
    }
    assertThat(b.path("stats").path("succeeded").asInt()).as("%s", b).isEqualTo(5);
  }
}
