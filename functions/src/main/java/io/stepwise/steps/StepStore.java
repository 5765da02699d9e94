package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.ItemPlan;
import io.stepwise.model.ItemUsage;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.Usage;
import java.util.Optional;

/**
 * The step runtime's view of the state table. Every write is fenced on the task's current run: a
 * run that a retry has replaced can no longer change anything (the write returns false and nothing
 * changes).
 */
public interface StepStore {

  Optional<TaskRecord> load(String taskId);

  /**
   * Records the step as running (current step, attempts, executions); false, with nothing written,
   * when the run was replaced or the task cancelled: the fence that keeps a cancelled run from
   * starting a body.
   */
  boolean markRunning(String taskId, String runId, Step step, StepState state);

  /**
   * Writes the checkpoint (with {@code usage}, what its output cost) and the step's succeeded
   * summary in one transaction.
   */
  boolean saveSuccess(
      String taskId, String runId, Step step, StepState state, String outputJson, Usage usage);

  /** Records the step's failure in the task's step summary. */
  boolean markFailed(String taskId, String runId, Step step, StepState state);

  /**
   * Keeps one finished item of a step (e.g. one analysed paper) so a re-run does not redo it;
   * {@code durable} keeps it as long as the task (for side-effect records) instead of as long as
   * checkpoints; {@code plan}, when given, is stored on the same record (the step's progress, see
   * {@link ItemProgress}); {@code usage}, what the item's model calls cost and which execution of
   * the step made them.
   */
  void saveItem(
      String taskId,
      Step step,
      String itemKey,
      String json,
      boolean durable,
      @Nullable ItemPlan plan,
      ItemUsage usage);
}
