package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Step;
import io.stepwise.steps.errors.TerminalStepException;
import java.util.Collection;
import java.util.Optional;

/**
 * What a step body may see and keep: the task input, earlier outputs, and its own finished items.
 */
public interface StepContext {

  String taskId();

  String runId();

  Step step();

  /** Invocations of this step in the current run, including this one. */
  int attempt();

  /** The task's input, decoded as the pipeline's input type. */
  <T> T input(Class<T> type);

  /**
   * The output of an earlier step (by wire name), decoded. A missing or expired checkpoint is a
   * {@link TerminalStepException} naming the step to retry from.
   */
  <T> T output(String earlier, Class<T> type);

  /**
   * A result this step kept for one item on an earlier attempt (any run). The key must identify
   * everything the result depends on (e.g. paper id and language), so that a kept result is always
   * still right to reuse.
   */
  <T> Optional<T> finishedItem(String itemKey, Class<T> type);

  /**
   * Names the items this invocation will finish (the keys given to {@link #keepItem}/{@link
   * #finishedItem}), before the first is kept: the task's {@code steps[].progress} then counts the
   * kept ones. The list rides on the first item record written, so it costs no write of its own.
   */
  void expectItems(Collection<String> itemKeys);

  /**
   * Keeps one item's result at once, so a crash or retry after this point does not redo (or re-pay)
   * it.
   */
  void keepItem(String itemKey, Object result);

  /**
   * Like {@link #keepItem} but kept as long as the task itself: for records of side effects that
   * must never be repeated (a publish), which must outlive the shorter checkpoint retention.
   */
  void keepDurably(String itemKey, Object result);

  /** Records which model served this step (shown in the step summary). */
  void recordModel(@Nullable String model);
}
