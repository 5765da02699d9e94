package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import java.util.Optional;

/**
 * The request is valid but the task's state does not allow it (already finished, already retrying,
 * a needed checkpoint gone). {@code earliestStep} names the step a retry can start from, when that
 * is the problem.
 */
public class TaskConflictException extends RuntimeException {

  private final String earliestStep;

  public TaskConflictException(String message) {
    this(message, null);
  }

  public TaskConflictException(String message, @Nullable String earliestStep) {
    super(message);
    this.earliestStep = earliestStep;
  }

  public Optional<String> earliestStep() {
    return Optional.ofNullable(earliestStep);
  }
}
