package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository;
import io.stepwise.tasks.PipelineInputs;
import io.stepwise.tasks.TaskService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A batch request cut short between storing its tasks and starting them (the api function's
 * timeout, a crash) leaves pending tasks with nothing to start them: the reconciler starts each
 * once it has been quiet for its grace, and every one finishes without a manual retry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrandedTasksIT {

  private static final int TRIALS = 3;
  private static final int TASKS_PER_TRIAL = 6;

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    // at time scale 0.01 the reconciler runs every second and starts tasks quiet for a second
    runtime = LocalRuntime.start(Options.ephemeral(0.01));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  @Test
  void pendingTasksOfABatchCutShort_areStartedByTheReconciler_andAllFinish() throws Exception {
    TaskService tasks = runtime.context().getBean(TaskService.class);
    JsonMapper json = runtime.context().getBean(JsonMapper.class);
    JsonNode input =
        runtime
            .context()
            .getBean(PipelineInputs.class)
            .of("paper-digest")
            .parse(json.readValue("{\"maxPapers\":1,\"language\":\"en\"}", JsonNode.class), "");
    int cutShort = 0;
    int finished = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      String batchId = UUID.randomUUID().toString();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TASKS_PER_TRIAL; i++) {
        // what a batch request stores before it starts anything: the task, pending
        ids.add(tasks.prepare("paper-digest", input, batchId + "#" + i, null, batchId).taskId());
      }
      cutShort += ids.size();
      for (String id : ids) {
        var done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
        if (done.path("status").asText().equals("succeeded")) {
          finished++;
        }
      }
    }
    System.out.printf(
        "stranded tasks: %d trials, %d tasks cut short, %d finished without a manual retry%n",
        TRIALS, cutShort, finished);
    assertThat(finished).isEqualTo(cutShort);
  }

  /**
   * The same with the batch item stored, as a real request stores it first: the reconciler starts
   * the batch within its run limit, and each task that ends starts the next (execution-events).
   */
  @Test
  void aBatchCutShort_withItsLimit_isStartedWithinTheLimit_andAllFinish() throws Exception {
    TaskService tasks = runtime.context().getBean(TaskService.class);
    JsonMapper json = runtime.context().getBean(JsonMapper.class);
    JsonNode input =
        runtime
            .context()
            .getBean(PipelineInputs.class)
            .of("paper-digest")
            .parse(json.readValue("{\"maxPapers\":1,\"language\":\"en\"}", JsonNode.class), "");
    String batchId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    runtime
        .context()
        .getBean(BatchRepository.class)
        .insert(
            new Batch(
                batchId,
                TASKS_PER_TRIAL,
                "hash",
                null,
                now,
                now.plus(Duration.ofDays(1)),
                2,
                Batch.Steering.RUNNING,
                List.of()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TASKS_PER_TRIAL; i++) {
      ids.add(tasks.prepare("paper-digest", input, batchId + "#" + i, null, batchId).taskId());
    }
    int finished = 0;
    for (String id : ids) {
      if (LocalApi.awaitStatus(runtime.api(), id, "succeeded")
          .path("status")
          .asText()
          .equals("succeeded")) {
        finished++;
      }
    }
    System.out.printf(
        "stranded batch with maxRunning 2: %d tasks cut short, %d finished without a manual retry%n",
        ids.size(), finished);
    assertThat(finished).isEqualTo(ids.size());
  }
}
