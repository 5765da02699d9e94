package io.stepwise.api;

import io.stepwise.steps.StepName;
import io.stepwise.steps.StepStatus;
import io.stepwise.store.Times;
import io.stepwise.tasks.StepState;
import io.stepwise.tasks.Task;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/** Maps tasks to their API representation. */
@Singleton
public class TaskViews {

  private final Clock clock;

  public TaskViews(Clock clock) {
    this.clock = clock;
  }

  public TaskView view(Task t) {
    return new TaskView(
        t.taskId(),
        t.status().wire(),
        t.input(),
        wire(t.currentStep()),
        wire(t.lastSuccessfulStep()),
        wire(t.failedStep()),
        resumable(t),
        t.error(),
        t.retryCount(),
        t.runs().stream()
            .map(r -> new TaskView.RunView(r.runId(), r.executionArn(), r.startAt().wire(), r.status().wire(), r.redriveCount()))
            .toList(),
        Arrays.stream(StepName.values()).map(s -> step(s, t.steps().get(s))).toList(),
        t.batchId(),
        Times.format(t.createdAt()),
        Times.format(t.updatedAt()));
  }

  /**
   * Whether "retry from the failed step" can work now: the task is failed or cancelled and every step before
   * the resume point still has its (unexpired) output.
   */
  boolean resumable(Task t) {
    if (!t.status().retryable()) {
      return false;
    }
    Instant now = clock.instant();
    for (StepName step : StepName.values()) {
      StepState state = t.steps().get(step);
      boolean usable = state != null && state.status() == StepStatus.SUCCEEDED
          && state.checkpointExpiresAt() != null && state.checkpointExpiresAt().isAfter(now);
      if (step == t.failedStep() || !usable) {
        return t.failedStep() == null || step == t.failedStep();
      }
    }
    return true;
  }

  private static TaskView.StepView step(StepName name, StepState s) {
    if (s == null) {
      return new TaskView.StepView(name.wire(), StepStatus.PENDING.wire(), 0, 0, null, null, null, null, null);
    }
    return new TaskView.StepView(
        name.wire(), s.status().wire(), s.attempts(), s.executions(), time(s.startedAt()), time(s.finishedAt()),
        s.durationMs(), s.model(), s.error());
  }

  private static String time(Instant t) {
    return t == null ? null : Times.format(t);
  }

  private static String wire(StepName step) {
    return step == null ? null : step.wire();
  }
}
