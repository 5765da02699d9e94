package io.stepwise.lifecycle;

import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Run;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import io.stepwise.tasks.TaskOutcomes;
import io.stepwise.tasks.TaskRepository;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a task's status in step with its executions: terminal step failures (the state machine's
 * Catch) and execution status changes (EventBridge, including a console redrive's return to
 * RUNNING).
 *
 * <p>Both are at-least-once and may arrive in any order. Safe to repeat because: events of a run
 * that is no longer the task's current run are ignored; within a run, an event applies only if it
 * ranks above the last applied one (see {@link ExecutionOutcome#rank}); every write is conditional
 * on the task's version and is re-read and re-decided on a conflict.
 */
@Singleton
public class TaskLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(TaskLifecycle.class);
  private static final int MAX_CONFLICTS = 8;

  private final TaskRepository tasks;
  private final Clock clock;
  private final TaskOutcomes outcomes;
  private final Pipelines pipelines;

  public TaskLifecycle(
      TaskRepository tasks, Clock clock, TaskOutcomes outcomes, Pipelines pipelines) {
    this.tasks = tasks;
    this.clock = clock;
    this.outcomes = outcomes;
    this.pipelines = pipelines;
  }

  /** A step's terminal error, caught by the state machine. Returns whether the task changed. */
  public boolean recordFailure(
      String taskId, String runId, int redriveCount, ExecutionError cause) {
    return change(
        taskId,
        task -> {
          Optional<Run> run = currentRun(task, runId);
          if (run.isEmpty()) {
            return Optional.empty();
          }
          if (task.status() == TaskStatus.CANCELLED && redriveCount <= run.get().redriveCount()) {
            // The cancelled run's own steps refuse to start (the fence) and land here: the task
            // stays cancelled.
            LOG.info("ignoring failure of cancelled run taskId={} runId={}", taskId, runId);
            return Optional.empty();
          }
          int rank = Math.max(run.get().eventRank(), ExecutionOutcome.FAILED.rank(redriveCount));
          TaskError error = failure(task, runId, cause);
          if (task.status() == TaskStatus.FAILED && error.equals(task.error())) {
            return Optional.empty(); // already recorded
          }
          Task failed =
              task.withStatus(TaskStatus.FAILED, stepOf(task, error), error, clock.instant())
                  .withRun(run.get().withEvent(TaskStatus.FAILED, redriveCount, rank));
          return Optional.of(closeReviewStep(failed, error));
        });
  }

  /** An execution status change. Returns whether the task changed. */
  public boolean onExecutionStatus(
      String taskId,
      String runId,
      ExecutionOutcome outcome,
      int redriveCount,
      ExecutionError cause) {
    return change(
        taskId,
        task -> {
          Optional<Run> run = currentRun(task, runId);
          int rank = outcome.rank(redriveCount);
          if (run.isEmpty() || rank <= run.get().eventRank()) {
            return Optional.empty();
          }
          TaskStatus status = outcome.taskStatus();
          TaskError error = status == TaskStatus.FAILED ? failure(task, runId, cause) : null;
          Task changed =
              task.withStatus(status, stepOf(task, error), error, clock.instant())
                  .withRun(run.get().withEvent(status, redriveCount, rank));
          return Optional.of(changed);
        });
  }

  /**
   * A failure at the review step (it expired) closes the step's summary, which the lifecycle owns:
   * no function will.
   */
  private Task closeReviewStep(Task task, TaskError error) {
    StepState review = task.steps().get(Step.REVIEW);
    if (error == null
        || !Step.REVIEW.equals(error.step())
        || review == null
        || review.status() != StepStatus.RUNNING) {
      return task;
    }
    Map<String, StepState> steps = new LinkedHashMap<>(task.steps());
    steps.put(
        Step.REVIEW,
        new StepState(
            StepStatus.FAILED,
            review.runId(),
            review.attempts(),
            review.executions(),
            review.startedAt(),
            task.updatedAt(),
            review.startedAt() == null
                ? null
                : java.time.Duration.between(review.startedAt(), task.updatedAt()).toMillis(),
            null,
            error,
            null));
    return task.toBuilder().steps(steps).build();
  }

  private Optional<Run> currentRun(Task task, String runId) {
    if (!runId.equals(task.currentRunId())) {
      LOG.info(
          "ignoring event of replaced run taskId={} runId={} current={}",
          task.taskId(),
          runId,
          task.currentRunId());
      return Optional.empty();
    }
    return task.run(runId);
  }

  /** Applies a decision to the latest task, re-deciding on version conflicts. */
  private boolean change(String taskId, Function<Task, Optional<Task>> decide) {
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      Optional<Task> current = tasks.find(taskId);
      if (current.isEmpty()) {
        LOG.warn("ignoring event for unknown or expired task taskId={}", taskId);
        return false;
      }
      Optional<Task> next = decide.apply(current.get());
      if (next.isEmpty()) {
        return false;
      }
      Optional<Task> stored = tasks.update(current.get(), next.get());
      if (stored.isPresent()) {
        // once per final status: a repeated event changes nothing (rank check), so it never gets
        // here
        if (!stored.get().status().active() && stored.get().status() != current.get().status()) {
          outcomes.finished(stored.get());
        }
        return true;
      }
    }
    throw new IllegalStateException(
        "task " + taskId + " kept changing; gave up after " + MAX_CONFLICTS + " tries");
  }

  /**
   * The failure to show: the step's own recorded error when the step runtime kept one (most
   * precise), otherwise the execution's error name and the message from its cause.
   */
  private TaskError failure(Task task, String runId, ExecutionError cause) {
    Optional<Step> step =
        pipelines.get(task.pipeline()).steps().stream()
            .filter(
                s -> {
                  StepState state = task.steps().get(s.name());
                  return state != null
                      && runId.equals(state.runId())
                      && (state.status() == StepStatus.FAILED
                          || state.status() == StepStatus.RUNNING);
                })
            .max(Comparator.comparing(Step::index));
    StepState state = step.map(s -> task.steps().get(s.name())).orElse(null);
    if (state != null && state.error() != null) {
      return state.error();
    }
    if (step.filter(Step::isReview).isPresent()
        && "States.Timeout".equals(cause.type())
        && task.review() != null) {
      return new TaskError(
          Step.REVIEW,
          "ReviewExpired",
          "nobody decided the review of "
              + task.review().step()
              + " by "
              + Times.format(task.review().expiresAt())
              + "; POST /api/tasks/"
              + task.taskId()
              + "/retry opens it again without running anything before it");
    }
    return new TaskError(step.map(Step::name).orElse(null), cause.type(), cause.message());
  }

  /** The failed step a task error names, when it is one of the task's pipeline's steps. */
  private String stepOf(Task task, TaskError error) {
    if (error == null || error.step() == null) {
      return null;
    }
    Pipeline pipeline = pipelines.get(task.pipeline());
    return pipeline.step(error.step()).map(Step::name).orElse(null);
  }
}
