package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * The task item's summary of one step: what the dashboard and API show, and what the step runtime
 * fences on. {@code attempts} counts invocations in the current run; {@code executions} counts
 * every time the step body ran for this task, so paying twice is visible. {@code
 * checkpointExpiresAt} is when the step's output expires.
 */
public record StepState(
    StepStatus status,
    String runId,
    int attempts,
    int executions,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Long durationMs,
    @Nullable String model,
    @Nullable TaskError error,
    @Nullable Instant checkpointExpiresAt,
    @Nullable StepUsage usage) {

  /** A state with no model usage recorded yet. */
  public StepState(
      StepStatus status,
      String runId,
      int attempts,
      int executions,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable Long durationMs,
      @Nullable String model,
      @Nullable TaskError error,
      @Nullable Instant checkpointExpiresAt) {
    this(
        status,
        runId,
        attempts,
        executions,
        startedAt,
        finishedAt,
        durationMs,
        model,
        error,
        checkpointExpiresAt,
        null);
  }

  public StepState withStatus(StepStatus newStatus) {
    return new StepState(
        newStatus,
        runId,
        attempts,
        executions,
        startedAt,
        finishedAt,
        durationMs,
        model,
        error,
        checkpointExpiresAt,
        usage);
  }
}
