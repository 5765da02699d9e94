package io.stepwise.api;

import io.stepwise.model.StepStatus;
import io.stepwise.model.Times;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.Task;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/** Maps tasks to their API representation. */
@Singleton
public class TaskViews {

  private final Clock clock;
  private final Pipelines pipelines;

  public TaskViews(Clock clock, Pipelines pipelines) {
    this.clock = clock;
    this.pipelines = pipelines;
  }

  public TaskView view(Task t) {
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
            .map(r -> new TaskView.RunView(r.runId(), r.executionArn(), r.startAt(), r.status().wire(), r.redriveCount()))
            .toList(),
        pipeline.steps().stream().map(s -> step(s, t.steps().get(s.name()))).toList(),
        t.batchId(),
        Times.format(t.createdAt()),
        Times.format(t.updatedAt()));
  }

  /**
   * Whether "retry from the failed step" can work now: the task is failed or cancelled and every step before
   * the resume point still has its (unexpired) output.
   */
  boolean resumable(Pipeline pipeline, Task t) {
    if (!t.status().retryable()) {
      return false;
    }
    Instant now = clock.instant();
    for (Step step : pipeline.steps()) {
      StepState state = t.steps().get(step.name());
      boolean usable = state != null && state.status() == StepStatus.SUCCEEDED
          && state.checkpointExpiresAt() != null && state.checkpointExpiresAt().isAfter(now);
      boolean failedHere = step.name().equals(t.failedStep());
      if (failedHere || !usable) {
        return t.failedStep() == null || failedHere;
      }
    }
    return true;
  }

  private static TaskView.StepView step(Step step, StepState s) {
    if (s == null) {
      return new TaskView.StepView(step.name(), StepStatus.PENDING.wire(), 0, 0, null, null, null, null, null);
    }
    return new TaskView.StepView(
        step.name(), s.status().wire(), s.attempts(), s.executions(), time(s.startedAt()), time(s.finishedAt()),
        s.durationMs(), s.model(), s.error());
  }

  private static String time(Instant t) {
    return t == null ? null : Times.format(t);
  }
}
