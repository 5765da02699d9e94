package io.stepwise.tasks;

import io.stepwise.steps.Checkpoint;
import io.stepwise.steps.StepName;
import io.stepwise.steps.StepStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything stored under one task's partition, read with a single Query: the task item, the unexpired
 * checkpoints and the unexpired per-item results (keyed {@code <step>/<itemKey>}, as raw JSON).
 */
public record TaskRecord(
    Task task, Map<StepName, Checkpoint> checkpoints, Map<String, String> items) {

  public TaskRecord {
    checkpoints = checkpoints.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(checkpoints));
    items = Map.copyOf(items);
  }

  /** The step's output when it is usable input for a later step: succeeded, not stale, not expired. */
  public Optional<Checkpoint> usableCheckpoint(StepName step) {
    if (task.stepStatus(step) != StepStatus.SUCCEEDED) {
      return Optional.empty();
    }
    return Optional.ofNullable(checkpoints.get(step));
  }

  /**
   * The earliest step a run may start at, given what is usable: the first step before {@code wanted} whose
   * checkpoint is gone, or {@code wanted} itself when every earlier step's output is there.
   */
  public StepName earliestStartFor(StepName wanted) {
    for (StepName earlier : wanted.before()) {
      if (usableCheckpoint(earlier).isEmpty()) {
        return earlier;
      }
    }
    return wanted;
  }

  /** Where "retry from the failed step" starts: the failed step, else the first step that did not succeed. */
  public StepName resumePoint() {
    if (task.failedStep() != null) {
      return task.failedStep();
    }
    for (StepName step : StepName.values()) {
      if (usableCheckpoint(step).isEmpty()) {
        return step;
      }
    }
    return StepName.PUBLISH;
  }
}
