package io.stepwise.api;

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

  /** {@code GET /api/batches/{batchId}}: {@code stats} has every status, zeros included. */
  @Serdeable
  public record Summary(
      String batchId, int total, Map<String, Long> stats, List<String> taskIds, String createdAt) {}

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
