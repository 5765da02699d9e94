package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.ItemPlan;
import io.stepwise.model.ItemUsage;
import io.stepwise.model.Step;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.Usage;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.usage.UsageScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Optional;

/** The {@link StepContext} the runtime hands to a step body, backed by the record it loaded. */
final class RuntimeStepContext implements StepContext {

  private final TaskRecord record;
  private final Step step;
  private final String runId;
  private final int attempt;
  private final StepStore store;
  private final JsonMapper json;
  private String model;
  private final String itemScope;
  private ItemPlan plan;
  private String planCarrier;
  private final int execution;
  private final int usageThrough;
  private Usage reused = Usage.NONE;
  private Usage unfolded = Usage.NONE;

  /**
   * @param itemScope the run whose input this step's kept items belong to: null for the task's
   *     first input, else the latest run up to this one that changed the input with a rerun from
   *     this step or an earlier one. Items kept under another input are not this run's to reuse (a
   *     post in Chinese is no answer after {@code "language":"en"}), so each input has its own item
   *     keys; a plain retry reuses them.
   */
  RuntimeStepContext(
      TaskRecord record,
      Step step,
      String runId,
      int attempt,
      StepStore store,
      JsonMapper json,
      String itemScope,
      int execution,
      int usageThrough) {
    this.itemScope = itemScope;
    this.execution = execution;
    this.usageThrough = usageThrough;
    this.record = record;
    this.step = step;
    this.runId = runId;
    this.attempt = attempt;
    this.store = store;
    this.json = json;
  }

  @Override
  public String taskId() {
    return record.task().taskId();
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public Step step() {
    return step;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public <T> T input(Class<T> type) {
    try {
      return json.readValueFromTree(record.task().input(), type);
    } catch (IOException e) {
      throw new TerminalStepException(
          "the task input cannot be read as " + type.getSimpleName(), e);
    }
  }

  @Override
  public <T> T output(String earlier, Class<T> type) {
    Checkpoint checkpoint =
        record
            .usableCheckpoint(earlier)
            .orElseThrow(
                () ->
                    new TerminalStepException(
                        "the checkpoint of "
                            + earlier
                            + " is missing or expired; retry from "
                            + earlier));
    return read(checkpoint.outputJson(), type);
  }

  @Override
  public <T> Optional<T> finishedItem(String itemKey, Class<T> type) {
    String key = step.name() + "/" + scoped(itemKey);
    Optional<T> kept = Optional.ofNullable(record.items().get(key)).map(v -> read(v, type));
    kept.ifPresent(found -> reusing(record.itemUsage().get(key)));
    return kept;
  }

  /**
   * A kept item used instead of calling again: its cost is saved; when the invocation that kept it
   * never recorded its end (a crash), its cost is also not yet in the step's paid usage.
   */
  private synchronized void reusing(ItemUsage kept) {
    if (kept == null) {
      return;
    }
    reused = reused.plus(kept.usage());
    if (kept.execution() > usageThrough && kept.execution() < execution) {
      unfolded = unfolded.plus(kept.usage());
    }
  }

  /** What the kept items this invocation used had cost. */
  synchronized Usage reused() {
    return reused;
  }

  /** What kept items of invocations that never recorded their end had cost. */
  synchronized Usage unfolded() {
    return unfolded;
  }

  @Override
  public void keepItem(String itemKey, Object result) {
    save(itemKey, result, false);
  }

  @Override
  public void keepDurably(String itemKey, Object result) {
    save(itemKey, result, true);
  }

  @Override
  public synchronized void expectItems(Collection<String> itemKeys) {
    plan = new ItemPlan(step.name(), runId, itemKeys.stream().map(this::scoped).toList());
    planCarrier = null;
  }

  /**
   * The plan goes on the first record written, and again whenever that record is rewritten
   * (publish's outcome).
   */
  private synchronized ItemPlan planFor(String storedKey) {
    if (plan == null) {
      return null;
    }
    if (planCarrier == null) {
      planCarrier = storedKey;
    }
    return planCarrier.equals(storedKey) ? plan : null;
  }

  private String scoped(String itemKey) {
    return itemScope == null ? itemKey : itemScope + ":" + itemKey;
  }

  private void save(String itemKey, Object result, boolean durable) {
    try {
      String stored = scoped(itemKey);
      store.saveItem(
          taskId(),
          step,
          stored,
          json.writeValueAsString(result),
          durable,
          planFor(stored),
          new ItemUsage(UsageScope.currentItem(), execution));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void recordModel(@Nullable String model) {
    this.model = model;
  }

  String model() {
    return model;
  }

  private <T> T read(String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new TerminalStepException("stored output cannot be read as " + type.getSimpleName(), e);
    }
  }
}
