package io.stepwise.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Run;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import io.stepwise.model.Usage;
import io.stepwise.steps.ItemProgress;
import io.stepwise.steps.ItemRecords;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/** Maps tasks to their API representation. */
@Singleton
public class TaskViews {

  private final Clock clock;
  private final Pipelines pipelines;
  private final double timeScale;
  private final ItemRecords itemRecords;

  /**
   * @param timeScale the factor the state machine's Retry intervals run at: 1 on AWS; the local
   *     runtime's {@code --time-scale} there ({@code stepwise.workflow.time-scale})
   */
  @Inject
  public TaskViews(
      Clock clock,
      Pipelines pipelines,
      @Value("${stepwise.workflow.time-scale:1}") double timeScale,
      @Nullable ItemRecords itemRecords) {
    this.clock = clock;
    this.pipelines = pipelines;
    this.timeScale = timeScale;
    this.itemRecords = itemRecords;
  }

  /** Views without progress in lists (no item records to read). */
  public TaskViews(Clock clock, Pipelines pipelines, double timeScale) {
    this(clock, pipelines, timeScale, null);
  }

  /**
   * The task as just changed (create, retry, cancel): no step of the new state has items yet worth
   * showing.
   */
  public TaskView view(Task t) {
    return view(t, (step, state) -> Optional.empty());
  }

  /**
   * The task as read whole ({@code GET /api/tasks/{id}}): progress from the item records already
   * loaded.
   */
  public TaskView view(TaskRecord r) {
    return view(
        r.task(),
        (step, state) -> ItemProgress.of(step.name(), state, r.items().keySet(), r.plans()));
  }

  /**
   * A task of a list: a running per-item step's progress costs one Query of that step's item
   * records (only for tasks with a step running, never a write).
   */
  public TaskView listed(Task t) {
    if (itemRecords == null) {
      return view(t);
    }
    return view(
        t,
        (step, state) -> {
          ItemRecords.Marks marks = itemRecords.read(t.taskId(), step);
          return ItemProgress.of(step.name(), state, marks.keys(), marks.plans());
        });
  }

  private TaskView view(Task t, BiFunction<Step, StepState, Optional<ItemProgress>> progress) {
    Pipeline pipeline = pipelines.get(t.pipeline());
    return new TaskView(
        t.taskId(),
        t.pipeline(),
        t.status().wire(),
        t.input(),
        t.currentStep(),
        t.lastSuccessfulStep(),
        t.failedStep(),
        resumable(pipeline, t),
        t.error(),
        t.retryCount(),
        t.runs().stream()
            .map(
                r ->
                    new TaskView.RunView(
                        r.runId(),
                        r.executionArn(),
                        r.startAt(),
                        r.status().wire(),
                        r.redriveCount(),
                        r.overrides()))
            .toList(),
        pipeline.steps().stream()
            .filter(t::shows)
            .map(s -> step(pipeline, t, s, t.steps().get(s.name()), progress))
            .toList(),
        t.batchId(),
        Times.format(t.createdAt()),
        Times.format(t.updatedAt()),
        TaskView.UsageView.of(paid(t)),
        TaskView.UsageView.usd(saved(t).costUsd()),
        TaskView.ReviewView.of(t.review()));
  }

  /** Every step's paid usage, over all runs. */
  static Usage paid(Task t) {
    Usage total = Usage.NONE;
    for (StepState s : t.steps().values()) {
      total = total.plus(s.usage() == null ? null : s.usage().paid());
    }
    return total;
  }

  /** Kept items the steps reused, and the checkpoints each run started from. */
  static Usage saved(Task t) {
    Usage total = Usage.NONE;
    for (StepState s : t.steps().values()) {
      total = total.plus(s.usage() == null ? null : s.usage().saved());
    }
    for (Run r : t.runs()) {
      total = total.plus(r.reused());
    }
    return total;
  }

  /**
   * Whether "retry from the failed step" can work now: the task is failed or cancelled and every
   * step before the resume point still has its (unexpired) output.
   */
  boolean resumable(Pipeline pipeline, Task t) {
    if (!t.status().retryable()) {
      return false;
    }
    Instant now = clock.instant();
    for (Step step : pipeline.steps()) {
      StepState state = t.steps().get(step.name());
      boolean usable =
          state != null
              && state.status() == StepStatus.SUCCEEDED
              && state.checkpointExpiresAt() != null
              && state.checkpointExpiresAt().isAfter(now);
      boolean failedHere = step.name().equals(t.failedStep());
      if (step.isReview() && !failedHere) {
        continue; // leaves no output a later step reads
      }
      if (failedHere || !usable) {
        return t.failedStep() == null || failedHere;
      }
    }
    return true;
  }

  private TaskView.StepView step(
      Pipeline pipeline,
      Task t,
      Step step,
      StepState s,
      BiFunction<Step, StepState, Optional<ItemProgress>> progress) {
    if (s == null) {
      return new TaskView.StepView(
          step.name(),
          StepStatus.PENDING.wire(),
          0,
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          TaskView.UsageView.of(null));
    }
    StepStatus status = s.status();
    Integer attempt = null;
    String nextAttemptAt = null;
    boolean currentRun = s.runId() != null && s.runId().equals(t.currentRunId());
    if (currentRun
        && t.status() == TaskStatus.CANCELLED
        && (status == StepStatus.RUNNING || status == StepStatus.FAILED)) {
      // in flight when the task was cancelled: it will not finish, and no retry will come
      status = StepStatus.CANCELLED;
    } else if (currentRun
        && t.status() == TaskStatus.RUNNING
        && status == StepStatus.FAILED
        && s.error() != null
        && s.finishedAt() != null) {
      // a failed attempt while the execution goes on: the state machine's Retry will run the step
      // again
      Optional<Duration> wait = pipeline.retryDelay(step, s.error(), s.attempts());
      if (wait.isPresent()) {
        status = StepStatus.RETRYING;
        attempt = s.attempts() + 1;
        nextAttemptAt =
            Times.format(s.finishedAt().plusMillis(Math.round(wait.get().toMillis() * timeScale)));
      }
    }
    boolean underway =
        currentRun
            && t.status() == TaskStatus.RUNNING
            && (status == StepStatus.RUNNING || status == StepStatus.RETRYING);
    return new TaskView.StepView(
        step.name(),
        status.wire(),
        s.attempts(),
        s.executions(),
        time(s.startedAt()),
        time(s.finishedAt()),
        s.durationMs(),
        s.model(),
        s.error(),
        attempt,
        nextAttemptAt,
        underway ? progress.apply(step, s).orElse(null) : null,
        TaskView.UsageView.of(s.usage() == null ? null : s.usage().paid()));
  }

  private static String time(Instant t) {
    return t == null ? null : Times.format(t);
  }
}
