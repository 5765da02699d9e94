package io.stepwise.lifecycle;

import static io.stepwise.testing.RulesTestPipeline.GATHER;
import static io.stepwise.testing.RulesTestPipeline.SUMMARISE;
import static io.stepwise.testing.TaskFixtures.CLOCK;
import static io.stepwise.testing.TaskFixtures.failed;
import static io.stepwise.testing.TaskFixtures.run;
import static io.stepwise.testing.TaskFixtures.running;
import static io.stepwise.testing.TaskFixtures.seed;
import static io.stepwise.testing.TaskFixtures.stale;
import static io.stepwise.testing.TaskFixtures.succeeded;
import static io.stepwise.testing.TaskFixtures.task;
import static io.stepwise.testing.TaskFixtures.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Pipelines;
import io.stepwise.model.Retention;
import io.stepwise.model.Run;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.StartPacing;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.InMemoryTaskRepository;
import io.stepwise.testing.InMemoryWorkflow;
import io.stepwise.testing.RecordingOutcomes;
import io.stepwise.testing.RulesTestPipeline;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The inbound-event rules of docs/architecture.md ("Retry, redrive, cancel") on {@link
 * TaskLifecycle}: events arrive at least once and in any order, so only the current run's events
 * apply, each only if it ranks above the last one applied, and a final status is reported once.
 */
class TaskLifecycleTest {

  private static final String ID = "task-9";
  private static final ExecutionError STEP_FAILED =
      new ExecutionError(
          "io.stepwise.steps.errors.TerminalStepException",
          "summarise: the model refused the prompt");
  private static final TaskError OWN_ERROR =
      terminal(SUMMARISE, "the model refused the prompt (finish_reason content_filter)");

  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(CLOCK);
  private final RecordingOutcomes outcomes = new RecordingOutcomes();
  private final Pipelines pipelines = RulesTestPipeline.pipelines();
  private final TaskLifecycle lifecycle = new TaskLifecycle(tasks, CLOCK, outcomes, pipelines);

  /**
   * Retried from summarise: run r0 failed, run r1 is running summarise (its RUNNING event already
   * applied).
   */
  private Task runningRetry(Map<String, StepState> steps) {
    return seed(
        tasks,
        task(
                ID,
                TaskStatus.RUNNING,
                run(ID, 0, GATHER, TaskStatus.FAILED, 0, 1),
                run(ID, 1, SUMMARISE, TaskStatus.RUNNING, 0, 0))
            .steps(steps)
            .build());
  }

  private Task runningRetry() {
    return runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, running("r1")));
  }

  private boolean event(ExecutionOutcome outcome, int redriveCount) {
    return lifecycle.onExecutionStatus(ID, "r1", outcome, redriveCount, STEP_FAILED);
  }

  private Task stored() {
    return tasks.stored(ID).orElseThrow();
  }

  @Test
  void succeededEvent_marksTaskSucceededAndReportsItOnce() {
    runningRetry();

    assertThat(event(ExecutionOutcome.SUCCEEDED, 0)).isTrue();

    assertThat(stored().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(stored().error()).isNull();
    assertThat(stored().currentRun())
        .contains(
            new Run(
                "r1",
                run(ID, 1, SUMMARISE, TaskStatus.RUNNING, 0, 0).executionArn(),
                SUMMARISE,
                TaskStatus.SUCCEEDED,
                0,
                1));
    assertThat(outcomes.finished())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
              assertThat(t.version()).as("reported after the change is stored").isEqualTo(8);
            });
  }

  @ParameterizedTest
  @EnumSource(ExecutionOutcome.class)
  void eventOfReplacedRun_isIgnored(ExecutionOutcome outcome) {
    Task before = runningRetry();

    assertThat(lifecycle.onExecutionStatus(ID, "r0", outcome, 0, STEP_FAILED)).isFalse();
    assertThat(lifecycle.onExecutionStatus(ID, "r0", outcome, 3, STEP_FAILED))
        .as("even a redrive of it")
        .isFalse();

    assertThat(stored()).isEqualTo(before);
    assertThat(tasks.writes()).isZero();
    assertThat(outcomes.finished()).isEmpty();
  }

  @Test
  void recordFailureOfReplacedRun_isIgnored() {
    Task before = runningRetry();

    assertThat(lifecycle.recordFailure(ID, "r0", 0, STEP_FAILED)).isFalse();

    assertThat(stored()).isEqualTo(before);
    assertThat(outcomes.finished()).isEmpty();
  }

  @Test
  void eventForUnknownTask_isIgnored() {
    assertThat(
            lifecycle.onExecutionStatus(
                "no-such-task", "r0", ExecutionOutcome.SUCCEEDED, 0, STEP_FAILED))
        .isFalse();
    assertThat(lifecycle.recordFailure("no-such-task", "r0", 0, STEP_FAILED)).isFalse();
    assertThat(tasks.writes()).isZero();
  }

  @Test
  void lateRunningAfterSucceeded_isIgnored() {
    runningRetry();
    event(ExecutionOutcome.SUCCEEDED, 0);
    int writes = tasks.writes();

    assertThat(event(ExecutionOutcome.RUNNING, 0)).isFalse();

    assertThat(stored().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(tasks.writes()).isEqualTo(writes);
  }

  @Test
  void redrivesRunning_withHigherRedriveCount_revivesTheFailedTask_thenItsOutcomeApplies() {
    runningRetry();
    event(ExecutionOutcome.FAILED, 0);

    assertThat(event(ExecutionOutcome.RUNNING, 1)).isTrue();
    Task revived = stored();
    assertThat(revived.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(revived.failedStep()).isNull();
    assertThat(revived.error()).isNull();
    assertThat(revived.currentRun().orElseThrow().redriveCount()).isEqualTo(1);
    assertThat(revived.currentRun().orElseThrow().eventRank()).isEqualTo(2);

    assertThat(event(ExecutionOutcome.SUCCEEDED, 1)).isTrue();
    assertThat(stored().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED, TaskStatus.SUCCEEDED);
  }

  @Test
  void runningWithTheSameRedriveCount_afterFailed_isIgnored() {
    runningRetry();
    event(ExecutionOutcome.FAILED, 0);

    assertThat(event(ExecutionOutcome.RUNNING, 0)).isFalse();

    assertThat(stored().status()).isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void lateFailedOfTheFirstAttempt_afterARedrivesRunning_isIgnored() {
    runningRetry();
    event(ExecutionOutcome.FAILED, 0);
    event(ExecutionOutcome.RUNNING, 1);

    assertThat(event(ExecutionOutcome.FAILED, 0)).isFalse();

    assertThat(stored().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);
  }

  @ParameterizedTest
  @EnumSource(
      value = ExecutionOutcome.class,
      names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"})
  void repeatedEvent_changesNothing(ExecutionOutcome outcome) {
    runningRetry();
    assertThat(event(outcome, 0)).isTrue();
    Task once = stored();
    int writes = tasks.writes();

    assertThat(event(outcome, 0)).isFalse();

    assertThat(stored()).isEqualTo(once);
    assertThat(tasks.writes()).isEqualTo(writes);
    assertThat(outcomes.statuses()).containsExactly(outcome.taskStatus());
  }

  @Test
  void repeatedRecordFailure_changesNothing() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));
    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED)).isTrue();
    Task once = stored();

    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED)).isFalse();

    assertThat(stored()).isEqualTo(once);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);
  }

  @Test
  void failureShown_isTheStepsOwnRecordedError() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));

    assertThat(event(ExecutionOutcome.FAILED, 0)).isTrue();

    assertThat(stored().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored().error()).isEqualTo(OWN_ERROR);
    assertThat(stored().failedStep()).isEqualTo(SUMMARISE);
  }

  @Test
  void recordFailure_showsTheStepsOwnRecordedError() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));

    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED)).isTrue();

    assertThat(stored().error()).isEqualTo(OWN_ERROR);
    assertThat(stored().failedStep()).isEqualTo(SUMMARISE);
    assertThat(stored().currentRun().orElseThrow().eventRank()).isEqualTo(1);
  }

  @Test
  void failureOfAStepThatRecordedNoError_namesThatStepWithTheExecutionsError() {
    runningRetry(); // summarise was running when its Lambda timed out: the step runtime wrote
    // nothing
    ExecutionError timeout =
        new ExecutionError("States.Timeout", "Task timed out after 60 seconds");

    assertThat(lifecycle.onExecutionStatus(ID, "r1", ExecutionOutcome.FAILED, 0, timeout)).isTrue();

    assertThat(stored().error())
        .isEqualTo(new TaskError(SUMMARISE, "States.Timeout", "Task timed out after 60 seconds"));
    assertThat(stored().failedStep()).isEqualTo(SUMMARISE);
  }

  @Test
  void failure_ignoresStepErrorsOfEarlierRuns() {
    // r0 failed at gather; r1 retried from gather (now stale) and failed before its step runtime
    // ran.
    seed(
        tasks,
        task(
                ID,
                TaskStatus.RUNNING,
                run(ID, 0, GATHER, TaskStatus.FAILED, 0, 1),
                run(ID, 1, GATHER, TaskStatus.RUNNING, 0, 0))
            .steps(Map.of(GATHER, stale("r0").withStatus(StepStatus.FAILED)))
            .build());
    ExecutionError lambda = new ExecutionError("Lambda.ServiceException", "Lambda was unavailable");

    lifecycle.onExecutionStatus(ID, "r1", ExecutionOutcome.FAILED, 0, lambda);

    assertThat(stored().error())
        .isEqualTo(new TaskError(null, "Lambda.ServiceException", "Lambda was unavailable"));
    assertThat(stored().failedStep()).isNull();
  }

  @Test
  void recordFailureThenTheExecutionsFailedEvent_reportFailureOnce() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));

    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED)).isTrue();
    assertThat(event(ExecutionOutcome.FAILED, 0)).isFalse();

    assertThat(stored().error()).isEqualTo(OWN_ERROR);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);
  }

  @Test
  void theExecutionsFailedEventThenRecordFailure_reportFailureOnce() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));

    assertThat(event(ExecutionOutcome.FAILED, 0)).isTrue();
    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED)).isFalse();

    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);
  }

  @Test
  void finishedIsReportedOncePerFinalStatusReached_neverForRunning() {
    runningRetry();

    event(ExecutionOutcome.RUNNING, 0); // repeated RUNNING of the start
    event(ExecutionOutcome.FAILED, 0);
    event(ExecutionOutcome.FAILED, 0);
    event(ExecutionOutcome.RUNNING, 1); // console redrive
    event(ExecutionOutcome.RUNNING, 1);
    event(ExecutionOutcome.TIMED_OUT, 1);
    event(ExecutionOutcome.TIMED_OUT, 1);

    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED, TaskStatus.FAILED);
    assertThat(outcomes.finished())
        .extracting(t -> t.currentRun().orElseThrow().redriveCount())
        .containsExactly(0, 1);
  }

  @Test
  void abortedEvent_cancelsTheTask() {
    runningRetry();

    assertThat(event(ExecutionOutcome.ABORTED, 0)).isTrue();

    assertThat(stored().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(stored().error()).isNull();
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.CANCELLED);
  }

  @Test
  void lateRunning_losingTheRaceToSucceeded_isReDecidedAndIgnored() {
    seed(
        tasks, task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, -1)).build());
    tasks.beforeNextWrite(
        () -> lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.SUCCEEDED, 0, STEP_FAILED));

    assertThat(lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.RUNNING, 0, STEP_FAILED))
        .isFalse();

    assertThat(tasks.conflicts()).isEqualTo(1);
    assertThat(tasks.stored(ID).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.SUCCEEDED);
  }

  @Test
  void succeeded_losingTheRaceToRunning_isReDecidedAndApplied() {
    seed(
        tasks, task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, -1)).build());
    tasks.beforeNextWrite(
        () -> lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.RUNNING, 0, STEP_FAILED));

    assertThat(lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.SUCCEEDED, 0, STEP_FAILED))
        .isTrue();

    assertThat(tasks.conflicts()).isEqualTo(1);
    assertThat(tasks.stored(ID).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.SUCCEEDED);
  }

  private TaskService taskService() {
    return new TaskService(
        tasks,
        new InMemoryWorkflow(),
        CLOCK,
        new Retention(Duration.ofDays(30), Duration.ofHours(24)),
        new StartPacing(1, Duration.ZERO, Duration.ZERO),
        outcomes,
        pipelines,
        pipeline -> {
          throw new UnsupportedOperationException("no input reader in this test");
        });
  }

  @Test
  void cancelledTask_ignoresItsExecutionsAbortedAndLateRunningEvents_butARedriveRevivesIt() {
    seed(tasks, task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, 0)).build());
    taskService().cancel(ID);

    assertThat(
            lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.ABORTED, 0, ExecutionError.NONE))
        .isFalse();
    assertThat(
            lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.RUNNING, 0, ExecutionError.NONE))
        .isFalse();
    assertThat(stored().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.CANCELLED);

    assertThat(
            lifecycle.onExecutionStatus(ID, "r0", ExecutionOutcome.RUNNING, 1, ExecutionError.NONE))
        .isTrue();
    assertThat(stored().status()).isEqualTo(TaskStatus.RUNNING);
  }

  /**
   * Summarise failed terminally and recorded its error; the user cancels while the state machine's
   * Catch is invoking RecordFailure. The cancel's write is the fence: the run is void, so neither
   * the execution's own FAILED event nor the in-flight RecordFailure may turn the cancelled task
   * into a failed one.
   */
  @Test
  void executionsFailedEventArrivingAfterCancel_isIgnored() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));
    taskService().cancel(ID);

    assertThat(event(ExecutionOutcome.FAILED, 0)).isFalse();

    assertThat(stored().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.CANCELLED);
  }

  @Test
  void recordFailureArrivingAfterCancel_isIgnored_likeTheExecutionsFailedEvent() {
    runningRetry(Map.of(GATHER, succeeded("r0"), SUMMARISE, failed("r1", OWN_ERROR)));
    taskService().cancel(ID);

    assertThat(lifecycle.recordFailure(ID, "r1", 0, STEP_FAILED))
        .as("the run was voided by the cancel")
        .isFalse();

    assertThat(stored().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(stored().currentRun().orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(outcomes.statuses())
        .as("one final status for the run")
        .containsExactly(TaskStatus.CANCELLED);
  }
}
