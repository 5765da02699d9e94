package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** The shapes of {@code /api/batches} (docs/api.md). */
public final class BatchView {

  private BatchView() {}

  /**
   * {@code POST /api/batches}: every task id, in request order. {@code notStarted} lists the tasks
   * Step Functions would not start even after backing off; they are failed and {@code retry-failed}
   * restarts them.
   */
  @Serdeable
  public record Created(String batchId, List<String> taskIds, List<Skipped> notStarted) {}

  /**
   * {@code GET /api/batches/{batchId}} (and the answer to pause and resume): {@code status} is
   * {@code running}, {@code paused} or {@code finished} (no task pending or running); {@code stats}
   * has every task status, zeros included; {@code failed} its failed tasks, most recent first;
   * {@code retries} every retry made of its tasks, oldest first.
   */
  @Serdeable
  public record Summary(
      String batchId,
      String status,
      int maxRunning,
      int total,
      Map<String, Long> stats,
      Progress progress,
      List<String> taskIds,
      List<FailedTask> failed,
      List<Retry> retries,
      String createdAt) {}

  /** How far the batch is: finished tasks (succeeded, failed or cancelled) of all. */
  @Serdeable
  public record Progress(long done, long total, int percent) {}

  /** A failed task of the batch: where it failed and why. */
  @Serdeable
  public record FailedTask(
      String taskId,
      @Nullable String failedStep,
      @Nullable String errorType,
      @Nullable String reason,
      int retryCount,
      String updatedAt) {}

  /** One retry made of the batch's tasks: {@code retry-failed} or {@code task} (one task's). */
  @Serdeable
  public record Retry(String at, String kind, int count, @Nullable String taskId) {}

  /** {@code POST /api/batches/{batchId}/cancel}: the tasks it cancelled, and the batch after. */
  @Serdeable
  public record Cancelled(List<String> cancelled, Summary batch) {}

  /** {@code POST /api/batches/{batchId}/retry-failed}. */
  @Serdeable
  public record RetryReport(List<String> retried, List<String> started, List<Skipped> skipped) {}

  /**
   * {@code POST /api/tasks/retry}: every matched task, the retried ones, and the others with their
   * reason.
   */
  @Serdeable
  public record Recovery(List<String> matched, List<String> retried, List<Skipped> skipped) {}

  /** A task left out, and why (the same message a single-task request would have had). */
  @Serdeable
  public record Skipped(String taskId, String reason) {}

  /** {@code GET /api/batches/{batchId}/failed}. */
  @Serdeable
  public record Failed(List<TaskView> items) {}
}
