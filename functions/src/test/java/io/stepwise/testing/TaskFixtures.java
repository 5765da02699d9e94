package io.stepwise.testing;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Run;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Tasks of the {@link RulesTestPipeline} in the shapes the lifecycle leaves them, for seeding an
 * {@link InMemoryTaskRepository}. Times are fixed: {@link #NOW} is the clock's instant.
 */
public final class TaskFixtures {

  public static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private TaskFixtures() {}

  public static JsonNode input(String topic) {
    return JsonNode.createObjectNode(Map.of("topic", JsonNode.createStringNode(topic)));
  }

  public static String arn(String taskId, int n) {
    return new InMemoryWorkflow().executionArn(RulesTestPipeline.NAME, taskId + "--r" + n);
  }

  /** Run n of a task, as stored after its last applied event. */
  public static Run run(
      String taskId, int n, String startAt, TaskStatus status, int redriveCount, int rank) {
    return new Run("r" + n, arn(taskId, n), startAt, status, redriveCount, rank);
  }

  /**
   * A stored task of the rules-test pipeline at version 7 whose current run is the last of {@code
   * runs}; the retry count follows the runs, as {@link Task#withNewRun} keeps it.
   */
  public static Task.Builder task(String taskId, TaskStatus status, Run... runs) {
    return Task.builder()
        .taskId(taskId)
        .pipeline(RulesTestPipeline.NAME)
        .status(status)
        .input(input("lifecycle rules"))
        .ownerId("owner-1")
        .retryCount(runs.length - 1)
        .currentRunId(runs[runs.length - 1].runId())
        .runs(List.of(runs))
        .version(7)
        .createdAt(NOW.minus(Duration.ofHours(2)))
        .updatedAt(NOW.minus(Duration.ofMinutes(10)))
        .expiresAt(NOW.plus(Duration.ofDays(30)));
  }

  public static StepState succeeded(String runId) {
    return new StepState(
        StepStatus.SUCCEEDED,
        runId,
        1,
        1,
        NOW.minus(Duration.ofMinutes(30)),
        NOW.minus(Duration.ofMinutes(29)),
        60_000L,
        null,
        null,
        NOW.plus(Duration.ofHours(23)));
  }

  public static StepState running(String runId) {
    return new StepState(
        StepStatus.RUNNING,
        runId,
        1,
        1,
        NOW.minus(Duration.ofMinutes(5)),
        null,
        null,
        null,
        null,
        null);
  }

  public static StepState failed(String runId, TaskError error) {
    return new StepState(
        StepStatus.FAILED,
        runId,
        1,
        1,
        NOW.minus(Duration.ofMinutes(5)),
        NOW.minus(Duration.ofMinutes(4)),
        60_000L,
        null,
        error,
        null);
  }

  public static StepState stale(String runId) {
    return succeeded(runId).withStatus(StepStatus.STALE);
  }

  public static TaskError terminal(String step, String message) {
    return new TaskError(step, "io.stepwise.steps.errors.TerminalStepException", message);
  }

  public static Checkpoint checkpoint(String step, String runId) {
    return new Checkpoint(
        step,
        runId,
        "{\"from\":\"" + step + "\"}",
        NOW.minus(Duration.ofMinutes(29)),
        NOW.plus(Duration.ofHours(23)));
  }

  /** A checkpoint item whose TTL has passed but that DynamoDB has not deleted yet. */
  public static Checkpoint expiredCheckpoint(String step, String runId) {
    return new Checkpoint(
        step,
        runId,
        "{\"from\":\"" + step + "\"}",
        NOW.minus(Duration.ofHours(25)),
        NOW.minus(Duration.ofSeconds(1)));
  }

  /**
   * Stores the task and, for every step whose summary is succeeded or stale, the checkpoint of that
   * step's run (a stale checkpoint is kept for audit).
   */
  public static Task seed(InMemoryTaskRepository repository, Task task) {
    repository.put(task);
    task.steps()
        .forEach(
            (step, state) -> {
              if (state.status() == StepStatus.SUCCEEDED || state.status() == StepStatus.STALE) {
                repository.putCheckpoint(task.taskId(), checkpoint(step, state.runId()));
              }
            });
    return task;
  }
}
