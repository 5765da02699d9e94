package io.stepwise.lifecycle;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.batches.BatchPacer;
import io.stepwise.model.Run;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.stepwise.workflow.ExecutionState;
import io.stepwise.workflow.Workflow;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs tasks whose status event was lost (EventBridge gives up after its retry window; a local
 * crash drops an event in flight): every task pending or running with no activity for {@code grace}
 * has its current run's execution described, and an execution that has ended is applied exactly as
 * {@code execution-events} would apply its event. A pending task whose execution never started (the
 * request that stored it ended first: a crash, the api function's timeout mid-batch) is started
 * now; one that cannot be is failed with the reason. Safe to run at any time and at once on several
 * instances: the lifecycle's rank and version checks make a repeated or late outcome change
 * nothing, and a start is named after the task's run, so it never starts twice.
 */
@Singleton
public class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /**
   * How long a task must be quiet before it is checked, and how many are checked per status in one
   * sweep.
   */
  @ConfigurationProperties("stepwise.reconciler")
  public record Settings(
      @Bindable(defaultValue = "2m") Duration grace,
      @Bindable(defaultValue = "500") int maxPerSweep) {}

  /** What one sweep did. */
  @Serdeable
  public record Report(
      int checked, int repaired, int stillRunning, int unavailable, int startedStranded) {}

  private final TaskRepository tasks;
  private final Workflow workflow;
  private final TaskLifecycle lifecycle;
  private final LambdaErrors errors;
  private final Clock clock;
  private final Settings settings;
  private final TaskService starter;
  private final BatchPacer pacer;

  /** The batches paced in this sweep: each once, however many of its tasks were checked. */
  private final java.util.Set<String> paced = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Reconciler(
      TaskRepository tasks,
      Workflow workflow,
      TaskLifecycle lifecycle,
      LambdaErrors errors,
      Clock clock,
      Settings settings,
      TaskService starter,
      BatchPacer pacer) {
    this.pacer = pacer;
    this.starter = starter;
    this.tasks = tasks;
    this.workflow = workflow;
    this.lifecycle = lifecycle;
    this.errors = errors;
    this.clock = clock;
    this.settings = settings;
  }

  public Report sweep() {
    paced.clear();
    Instant quietBefore = clock.instant().minus(settings.grace());
    int checked = 0;
    int repaired = 0;
    int running = 0;
    int unavailable = 0;
    int started = 0;
    // a task awaiting review is quiet by nature: its execution is checked like a running one's, so
    // a lost expiry or stop event is repaired too
    for (TaskStatus status :
        List.of(TaskStatus.RUNNING, TaskStatus.AWAITING_REVIEW, TaskStatus.PENDING)) {
      for (Task task : tasks.quietSince(status, quietBefore, settings.maxPerSweep())) {
        checked++;
        try {
          switch (reconcile(task)) {
            case REPAIRED -> repaired++;
            case RUNNING -> running++;
            case STARTED -> started++;
            case NOTHING -> {}
          }
        } catch (WorkflowUnavailableException e) {
          unavailable++;
          LOG.warn(
              "reconciler could not describe the execution of task {}: {}",
              task.taskId(),
              e.getMessage());
        }
      }
    }
    if (repaired > 0 || unavailable > 0 || started > 0) {
      LOG.info(
          "reconciler checked {} quiet tasks: {} repaired, {} stranded ones started, {} still"
              + " running, {} not checked",
          checked,
          repaired,
          started,
          running,
          unavailable);
    }
    return new Report(checked, repaired, running, unavailable, started);
  }

  private enum Result {
    REPAIRED,
    RUNNING,
    STARTED,
    NOTHING
  }

  /**
   * Starts a pending task whose start was cut short. Step Functions unavailable is thrown (the task
   * is failed with that reason by the start, and counted as not checked); any other refusal fails
   * the task with a reason that says it could not be started.
   */
  private Result startStranded(Task task) {
    if (task.batchId() != null) {
      // A batch's pending task waits for a run slot: its batch starts it (once per sweep) if it
      // has room, or the task itself if it holds a slot its start never used.
      return pacer.startStranded(task, paced.add(task.batchId())) ? Result.STARTED : Result.NOTHING;
    }
    try {
      Task launched = starter.launch(task);
      LOG.info(
          "started task {}: it was left pending since {} by a request that ended before starting"
              + " it",
          task.taskId(),
          task.createdAt());
      return launched.status() == TaskStatus.PENDING ? Result.NOTHING : Result.STARTED;
    } catch (WorkflowUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      starter.failUnstartable(task, e.getMessage());
      LOG.warn("task {} was left pending and cannot be started: {}", task.taskId(), e.toString());
      return Result.REPAIRED;
    }
  }

  private Result reconcile(Task task) {
    Optional<Run> run = task.currentRun();
    if (run.isEmpty()) {
      return Result.NOTHING;
    }
    Optional<ExecutionState> execution = workflow.describe(run.get().executionArn());
    if (execution.isEmpty()) {
      return task.status() == TaskStatus.PENDING ? startStranded(task) : Result.NOTHING;
    }
    ExecutionState state = execution.get();
    if (!state.ended()) {
      return Result.RUNNING;
    }
    ExecutionOutcome outcome = ExecutionOutcome.parse(state.status());
    ExecutionError error =
        outcome.taskStatus() == TaskStatus.FAILED
            ? errors.read(state.error(), state.cause())
            : null;
    boolean changed =
        lifecycle.onExecutionStatus(
            task.taskId(), run.get().runId(), outcome, state.redriveCount(), error);
    if (changed && task.batchId() != null && paced.add(task.batchId())) {
      pacer.startNext(task.batchId()); // its event was lost, so was the start of the next task
    }
    if (changed) {
      LOG.info(
          "reconciled task {} run {}: its execution had ended {} without its event reaching us",
          task.taskId(),
          run.get().runId(),
          state.status());
    }
    return changed ? Result.REPAIRED : Result.NOTHING;
  }
}
