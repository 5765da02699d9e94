package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.steps.StepName;
import io.stepwise.steps.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task as stored in its {@code TASK#<id>/META} item. Status, failure, runs and retry count belong to the task
 * lifecycle (API, record-failure, execution-events; every change conditional on {@code version}); current
 * step, last successful step and the per-step summaries belong to the step runtime (conditional on
 * {@code currentRunId}). The two writers never overwrite each other's attributes.
 */
public record Task(
    String taskId,
    TaskStatus status,
    TaskInput input,
    @Nullable String ownerId,
    @Nullable StepName currentStep,
    @Nullable StepName lastSuccessfulStep,
    @Nullable StepName failedStep,
    @Nullable TaskError error,
    int retryCount,
    String currentRunId,
    List<Run> runs,
    Map<StepName, StepState> steps,
    @Nullable String batchId,
    @Nullable String idempotencyKey,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt) {

  public Task {
    runs = List.copyOf(runs);
    steps = steps.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(steps));
  }

  public Optional<Run> run(String runId) {
    return runs.stream().filter(r -> r.runId().equals(runId)).findFirst();
  }

  public Optional<Run> currentRun() {
    return run(currentRunId);
  }

  public StepStatus stepStatus(StepName step) {
    StepState state = steps.get(step);
    return state == null ? StepStatus.PENDING : state.status();
  }

  /** A lifecycle change: new status and failure details, stamped with the time of the change. */
  public Task withStatus(
      TaskStatus newStatus, @Nullable StepName newFailedStep, @Nullable TaskError newError, Instant now) {
    return new Task(
        taskId, newStatus, input, ownerId, currentStep, lastSuccessfulStep, newFailedStep, newError,
        retryCount, currentRunId, runs, steps, batchId, idempotencyKey, version, createdAt, now,
        expiresAt);
  }

  public Task withVersion(long newVersion) {
    return new Task(
        taskId, status, input, ownerId, currentStep, lastSuccessfulStep, failedStep, error, retryCount,
        currentRunId, runs, steps, batchId, idempotencyKey, newVersion, createdAt, updatedAt,
        expiresAt);
  }

  /** Replaces the run with the same id. */
  public Task withRun(Run changed) {
    List<Run> updated = new ArrayList<>(runs);
    updated.replaceAll(r -> r.runId().equals(changed.runId()) ? changed : r);
    return new Task(
        taskId, status, input, ownerId, currentStep, lastSuccessfulStep, failedStep, error, retryCount,
        currentRunId, updated, steps, batchId, idempotencyKey, version, createdAt, updatedAt,
        expiresAt);
  }

  /** Starts a new run: running, no failure, retry count up, and the given steps marked stale. */
  public Task withNewRun(Run run, List<StepName> staleSteps, Instant now) {
    List<Run> updated = new ArrayList<>(runs);
    updated.add(run);
    Map<StepName, StepState> newSteps = new EnumMap<>(StepName.class);
    newSteps.putAll(steps);
    staleSteps.forEach(s -> newSteps.computeIfPresent(s, (k, v) -> v.withStatus(StepStatus.STALE)));
    return new Task(
        taskId, TaskStatus.RUNNING, input, ownerId, currentStep, lastSuccessfulStep, null, null,
        updated.size() - 1, run.runId(), updated, newSteps, batchId, idempotencyKey, version,
        createdAt, now, expiresAt);
  }
}
