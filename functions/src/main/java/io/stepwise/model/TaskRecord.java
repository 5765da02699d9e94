package io.stepwise.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything stored under one task's partition, read with a single Query: the task item, the
 * unexpired checkpoints (by step name), the unexpired per-item results (keyed {@code
 * <step>/<itemKey>}, as raw JSON), the item plans those records carry (what a per-item step set out
 * to finish: its progress) and what each item's model calls cost (same keys).
 */
public record TaskRecord(
    Task task,
    Map<String, Checkpoint> checkpoints,
    Map<String, String> items,
    List<ItemPlan> plans,
    Map<String, ItemUsage> itemUsage) {

  public TaskRecord {
    checkpoints = Map.copyOf(checkpoints);
    items = Map.copyOf(items);
    plans = List.copyOf(plans);
    itemUsage = Map.copyOf(itemUsage);
  }

  public TaskRecord(
      Task task,
      Map<String, Checkpoint> checkpoints,
      Map<String, String> items,
      List<ItemPlan> plans) {
    this(task, checkpoints, items, plans, Map.of());
  }

  public TaskRecord(Task task, Map<String, Checkpoint> checkpoints, Map<String, String> items) {
    this(task, checkpoints, items, List.of());
  }

  /**
   * The step's output when it is usable input for a later step: succeeded, not stale, not expired.
   */
  public Optional<Checkpoint> usableCheckpoint(String step) {
    if (task.stepStatus(step) != StepStatus.SUCCEEDED) {
      return Optional.empty();
    }
    return Optional.ofNullable(checkpoints.get(step));
  }

  /**
   * The earliest step a run may start at, given what is usable: the first step before {@code
   * wanted} whose checkpoint is gone, or {@code wanted} itself when every earlier step's output is
   * there.
   */
  public Step earliestStartFor(Pipeline pipeline, Step wanted) {
    for (Step earlier : pipeline.before(wanted)) {
      // a review leaves no output a later step reads
      if (!earlier.isReview() && usableCheckpoint(earlier.name()).isEmpty()) {
        return earlier;
      }
    }
    return wanted;
  }

  /**
   * Where "retry from the failed step" starts: the failed step, else the first step that did not
   * succeed.
   */
  public Step resumePoint(Pipeline pipeline) {
    if (task.failedStep() != null) {
      return pipeline.step(task.failedStep()).orElse(pipeline.first());
    }
    for (Step step : pipeline.steps()) {
      if (step.isReview()) {
        // a reviewed task whose review was not approved in this run resumes at the review
        if (task.reviewed() && task.stepStatus(step.name()) != StepStatus.SUCCEEDED) {
          return step;
        }
        continue;
      }
      if (usableCheckpoint(step.name()).isEmpty()) {
        return step;
      }
    }
    return pipeline.last();
  }
}
