package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Which tasks a bulk recovery takes: those of one status (failed or cancelled: the ones a retry can
 * resume), optionally of one pipeline, failed at one step, with one error type, in one batch, and
 * last changed in {@code [since, until)} (a failed task's last change is its failure).
 */
public record RecoveryFilter(
    TaskStatus status,
    @Nullable String pipeline,
    @Nullable String failedStep,
    @Nullable String errorType,
    @Nullable Instant since,
    @Nullable Instant until,
    @Nullable String batchId) {

  public RecoveryFilter {
    if (status != TaskStatus.FAILED && status != TaskStatus.CANCELLED) {
      throw new InvalidInputException(
          "'status' must be failed or cancelled: only those tasks can be retried");
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new InvalidInputException("'since' must be before 'until'");
    }
  }

  /** The conditions the store's status-and-time range does not already apply. */
  public Predicate<Task> rest() {
    return t ->
        (pipeline == null || pipeline.equals(t.pipeline()))
            && (failedStep == null || failedStep.equals(t.failedStep()))
            && (errorType == null || (t.error() != null && errorType.equals(t.error().type())))
            && (batchId == null || batchId.equals(t.batchId()));
  }
}
