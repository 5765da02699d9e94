package io.stepwise.steps;

import io.micronaut.json.JsonMapper;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Retention;
import io.stepwise.model.Run;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.StepUsage;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Usage;
import io.stepwise.steps.errors.RateLimitBudgetSpentException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.usage.Budgets;
import io.stepwise.usage.UsageScope;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one step invocation safely under at-least-once delivery, retries and redrives.
 *
 * <p>Happy path: one Query (task, checkpoints, items), one conditional update (running), one
 * transaction (checkpoint + succeeded). A step that already succeeded for this run returns its
 * stored summary without running again. Every write is fenced on the task's current run, so an
 * execution that a retry replaced cannot overwrite the newer run's state.
 */
@Singleton
public class StepRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(StepRuntime.class);

  private final StepStore store;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration checkpointRetention;

  public StepRuntime(StepStore store, JsonMapper json, Clock clock, Retention retention) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.checkpointRetention = retention.checkpointRetention();
  }

  /**
   * Runs {@code body} as step {@code step} of {@code pipeline} for the task and run the invocation
   * names.
   */
  public StepSummary run(StepInvocation invocation, Pipeline pipeline, Step step, StepBody body) {
    try {
      return runChecked(invocation, pipeline, step, body);
    } catch (RuntimeException e) {
      StepException classified = ErrorClassifier.classify(e);
      if (Thread.currentThread().isInterrupted()) {
        // The invocation was stopped from outside (the execution stopped: a cancel, say); nobody
        // reads this step's result, so there is nothing to warn about.
        LOG.info(
            "step stopped taskId={} runId={} step={}: its execution was stopped",
            invocation.taskId(),
            invocation.runId(),
            invocation.step());
        throw classified;
      }
      LOG.warn(
          "step failed taskId={} runId={} step={} error={} message={}",
          invocation.taskId(),
          invocation.runId(),
          invocation.step(),
          classified.type(),
          classified.getMessage());
      throw classified;
    }
  }

  /**
   * A rate limit once the step has made its policy's rate-limit waits in this execution becomes
   * {@link RateLimitBudgetSpentException}, which the state machine neither retries nor catches: the
   * execution fails at the step's own state, where a console redrive runs it again.
   */
  private static StepException budgeted(
      StepException error, StepInvocation invocation, Pipeline pipeline, Step step) {
    int waits = invocation.rateLimitWaitsOf(step.name());
    int budget = pipeline.policy(step).rateLimitWaits();
    if (error instanceof RateLimitedException && waits >= budget) {
      return new RateLimitBudgetSpentException(
          error.getMessage()
              + "; rate limited again after "
              + waits
              + " of "
              + budget
              + " rate-limit waits",
          error);
    }
    return error;
  }

  private StepSummary runChecked(
      StepInvocation invocation, Pipeline pipeline, Step step, StepBody body) {
    if (!step.name().equals(invocation.step())
        || invocation.taskId() == null
        || invocation.runId() == null) {
      throw new TerminalStepException(
          "invalid payload for "
              + step.name()
              + ": needs taskId, runId and step \""
              + step.name()
              + "\"");
    }
    String taskId = invocation.taskId();
    String runId = invocation.runId();
    TaskRecord record =
        store
            .load(taskId)
            .orElseThrow(() -> new TerminalStepException("task " + taskId + " does not exist"));
    Task task = record.task();
    if (!pipeline.name().equals(task.pipeline())) {
      throw new TerminalStepException(
          "task "
              + taskId
              + " belongs to pipeline "
              + task.pipeline()
              + ", not "
              + pipeline.name());
    }
    requireCurrentRun(task, runId);
    requireNotCancelled(task, runId);

    StepState previous = task.steps().get(step.name());
    Checkpoint done = record.checkpoints().get(step.name());
    if (previous != null
        && previous.status() == StepStatus.SUCCEEDED
        && done != null
        && runId.equals(done.runId())) {
      LOG.info("step already succeeded taskId={} runId={} step={}", taskId, runId, step.name());
      return new StepSummary(taskId, runId, step.name(), "succeeded", true, previous.model());
    }
    Step earliest = record.earliestStartFor(pipeline, step);
    if (!earliest.equals(step)) {
      throw new TerminalStepException(
          "the checkpoint of "
              + earliest.name()
              + " is missing or expired; retry from "
              + earliest.name());
    }

    Instant startedAt = clock.instant();
    boolean sameRun = previous != null && runId.equals(previous.runId());
    int attempts = sameRun ? previous.attempts() + 1 : 1;
    int executions = previous == null ? 1 : previous.executions() + 1;
    StepState running =
        new StepState(
            StepStatus.RUNNING,
            runId,
            attempts,
            executions,
            startedAt,
            null,
            null,
            null,
            null,
            null,
            previous == null ? null : previous.usage());
    if (!store.markRunning(taskId, runId, step, running)) {
      throw new TerminalStepException(
          "run "
              + runId
              + " of task "
              + taskId
              + " was cancelled or replaced before step "
              + step.name()
              + " started; this execution is void and stops here");
    }

    StepUsage before =
        previous == null || previous.usage() == null ? StepUsage.NONE : previous.usage();
    RuntimeStepContext context =
        new RuntimeStepContext(
            record,
            step,
            runId,
            attempts,
            store,
            json,
            itemScope(task, pipeline, step, runId),
            executions,
            before.through());
    Object output;
    UsageScope calls = UsageScope.invocation(pipeline.name(), budget(task));
    try {
      output = body.run(context);
    } catch (RuntimeException e) {
      StepException classified = budgeted(ErrorClassifier.classify(e), invocation, pipeline, step);
      recordFailure(
          taskId,
          runId,
          step,
          running,
          context.model(),
          classified,
          usage(before, calls.total(), context, executions));
      throw classified;
    } finally {
      calls.close();
    }

    Instant finishedAt = clock.instant();
    StepState succeeded =
        new StepState(
            StepStatus.SUCCEEDED,
            runId,
            attempts,
            executions,
            startedAt,
            finishedAt,
            Duration.between(startedAt, finishedAt).toMillis(),
            context.model(),
            null,
            finishedAt.plus(checkpointRetention),
            usage(before, calls.total(), context, executions));
    // what the output cost: this invocation's calls and the kept items it used instead of calling
    Usage value = calls.total().plus(context.reused());
    if (!store.saveSuccess(taskId, runId, step, succeeded, write(output), value)) {
      throw staleRun(taskId, runId);
    }
    return new StepSummary(taskId, runId, step.name(), "succeeded", false, context.model());
  }

  /** The task's {@code budgetUsd} ({@link Budgets}), checked when the task was created. */
  static UsageScope.Budget budget(Task task) {
    return Budgets.of(task.input())
        .map(usd -> new UsageScope.Budget(task.taskId(), usd))
        .orElse(null);
  }

  /**
   * The step's usage after this invocation: its calls are paid (with the items of a crashed
   * invocation it found), the kept items it used saved.
   */
  private static StepUsage usage(
      StepUsage before, Usage calls, RuntimeStepContext context, int execution) {
    return new StepUsage(
        before.paid().plus(calls).plus(context.unfolded()),
        before.saved().plus(context.reused()),
        execution);
  }

  /**
   * See {@link RuntimeStepContext}: the latest run up to {@code runId} that changed the input this
   * step reads.
   */
  static String itemScope(Task task, Pipeline pipeline, Step step, String runId) {
    String scope = null;
    for (Run run : task.runs()) {
      if (run.overrides() != null
          && pipeline.step(run.startAt()).map(s -> s.index() <= step.index()).orElse(false)) {
        scope = run.runId();
      }
      if (run.runId().equals(runId)) {
        break;
      }
    }
    return scope;
  }

  private void requireCurrentRun(Task task, String runId) {
    if (!runId.equals(task.currentRunId())) {
      throw new TerminalStepException(
          "run "
              + runId
              + " of task "
              + task.taskId()
              + " was replaced by run "
              + task.currentRunId()
              + "; this execution is stale and stops here");
    }
  }

  private static void requireNotCancelled(Task task, String runId) {
    if (task.status() == TaskStatus.CANCELLED) {
      throw new TerminalStepException(
          "task " + task.taskId() + " was cancelled; run " + runId + " is void and starts no step");
    }
  }

  private static TerminalStepException staleRun(String taskId, String runId) {
    return new TerminalStepException(
        "run " + runId + " of task " + taskId + " was replaced by a newer run while this step ran");
  }

  /**
   * Keeps the failure on the task's step summary. If the store itself is unreachable the step's own
   * error still propagates (execution-events records the failure from the execution later).
   */
  private void recordFailure(
      String taskId,
      String runId,
      Step step,
      StepState running,
      String model,
      StepException error,
      StepUsage usage) {
    Instant now = clock.instant();
    StepState failed =
        new StepState(
            StepStatus.FAILED,
            runId,
            running.attempts(),
            running.executions(),
            running.startedAt(),
            now,
            Duration.between(running.startedAt(), now).toMillis(),
            model,
            new TaskError(step.name(), error.type(), error.getMessage()),
            null,
            usage);
    try {
      store.markFailed(taskId, runId, step, failed);
    } catch (SdkException storeDown) {
      error.addSuppressed(storeDown);
    }
  }

  private String write(Object output) {
    try {
      return json.writeValueAsString(output);
    } catch (IOException e) {
      throw new UncheckedIOException("step output is not serialisable", e);
    }
  }
}
