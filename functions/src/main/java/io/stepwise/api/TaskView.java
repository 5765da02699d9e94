package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.TaskError;
import io.stepwise.steps.ItemProgress;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A task as the API shows it (docs/api.md, {@code GET /api/tasks/{taskId}}). Times are ISO-8601
 * UTC.
 */
@Serdeable
public record TaskView(
    String taskId,
    String pipeline,
    String status,
    JsonNode input,
    @Nullable String currentStep,
    @Nullable String lastSuccessfulStep,
    @Nullable String failedStep,
    boolean resumable,
    @Nullable TaskError error,
    int retryCount,
    List<RunView> runs,
    List<StepView> steps,
    @Nullable String batchId,
    String createdAt,
    String updatedAt) {

  /** One execution of the task. */
  @Serdeable
  public record RunView(
      String runId,
      String executionArn,
      String startAt,
      String status,
      int redriveCount,
      @Nullable @Schema(types = {"object", "null"}) JsonNode overrides) {}

  /**
   * One step's state; {@code progress} ({@code {done, total}}) while a per-item step runs and its
   * item plan is known, else null.
   */
  @Serdeable
  public record StepView(
      String name,
      String status,
      int attempts,
      int executions,
      @Nullable String startedAt,
      @Nullable String finishedAt,
      @Nullable Long durationMs,
      @Nullable String model,
      @Nullable TaskError error,
      @Nullable Integer attempt,
      @Nullable String nextAttemptAt,
      @Nullable ItemProgress progress) {}

  /** A page of tasks. */
  @Serdeable
  public record Page(List<TaskView> items, @Nullable String nextCursor) {}
}
