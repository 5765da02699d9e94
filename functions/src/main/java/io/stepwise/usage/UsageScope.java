package io.stepwise.usage;

import io.stepwise.model.Usage;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Where a model call's usage is added up: the step invocation the call was made for and, inside it,
 * the item (a paper, a section) it was made for. The step runtime opens the invocation's scope on
 * its thread, {@link io.stepwise.steps.BoundedParallel} one item scope per item on the thread that
 * runs the item, and the model gateway adds every answered call to the thread's scope and its
 * parents. A thread-bound scope, because the calls are made deep inside a step body that knows
 * nothing about usage; a call made outside any scope (a health probe, a test) is counted nowhere.
 */
public final class UsageScope implements AutoCloseable {

  private static final ThreadLocal<UsageScope> CURRENT = new ThreadLocal<>();

  /** The pipeline of a call made outside any step (a test, a tool). */
  public static final String NO_PIPELINE = "none";

  private final UsageScope parent;
  private final UsageScope restore;
  private final boolean item;
  private final String pipeline;
  private final Budget budget;

  /** The task whose calls must fit in its {@code budgetUsd}. */
  public record Budget(String taskId, BigDecimal budgetUsd) {}

  private Usage total = Usage.NONE;

  private UsageScope(
      UsageScope parent, UsageScope restore, boolean item, String pipeline, Budget budget) {
    this.parent = parent;
    this.restore = restore;
    this.item = item;
    this.pipeline = pipeline;
    this.budget = budget;
  }

  /** A step invocation's scope on this thread, until closed: a step of {@code pipeline}. */
  public static UsageScope invocation(String pipeline) {
    return invocation(pipeline, null);
  }

  /** The same, for a task with a budget (null: none). */
  public static UsageScope invocation(String pipeline, Budget budget) {
    UsageScope scope = new UsageScope(null, CURRENT.get(), false, pipeline, budget);
    CURRENT.set(scope);
    return scope;
  }

  /**
   * One item's scope on this thread under {@code parent} (captured on the thread that started the
   * items; null: the item's calls are counted nowhere).
   */
  public static UsageScope item(UsageScope parent) {
    UsageScope scope =
        new UsageScope(
            parent,
            CURRENT.get(),
            true,
            parent == null ? NO_PIPELINE : parent.pipeline,
            parent == null ? null : parent.budget);
    CURRENT.set(scope);
    return scope;
  }

  /** The scope of this thread, or null. */
  public static UsageScope current() {
    return CURRENT.get();
  }

  /** Adds one call's usage to this thread's scope and every scope it is inside. */
  public static void record(Usage usage) {
    for (UsageScope s = CURRENT.get(); s != null; s = s.parent) {
      s.add(usage);
    }
  }

  /** The pipeline whose step this thread's calls are made for. */
  public static String pipeline() {
    UsageScope scope = CURRENT.get();
    return scope == null ? NO_PIPELINE : scope.pipeline;
  }

  /** The budget this thread's calls must fit in, if the task has one. */
  public static Optional<Budget> budget() {
    UsageScope scope = CURRENT.get();
    return Optional.ofNullable(scope == null ? null : scope.budget);
  }

  /** What the current item's calls cost so far: none outside an item scope. */
  public static Usage currentItem() {
    UsageScope scope = CURRENT.get();
    return scope != null && scope.item ? scope.total() : Usage.NONE;
  }

  private synchronized void add(Usage usage) {
    total = total.plus(usage);
  }

  public synchronized Usage total() {
    return total;
  }

  @Override
  public void close() {
    CURRENT.set(restore);
  }
}
