package io.stepwise.tasks;

import static io.stepwise.testing.RulesTestPipeline.GATHER;
import static io.stepwise.testing.RulesTestPipeline.SUMMARISE;
import static io.stepwise.testing.RulesTestPipeline.WRITE_REPORT;
import static io.stepwise.testing.TaskFixtures.CLOCK;
import static io.stepwise.testing.TaskFixtures.NOW;
import static io.stepwise.testing.TaskFixtures.arn;
import static io.stepwise.testing.TaskFixtures.checkpoint;
import static io.stepwise.testing.TaskFixtures.expiredCheckpoint;
import static io.stepwise.testing.TaskFixtures.failed;
import static io.stepwise.testing.TaskFixtures.input;
import static io.stepwise.testing.TaskFixtures.run;
import static io.stepwise.testing.TaskFixtures.running;
import static io.stepwise.testing.TaskFixtures.seed;
import static io.stepwise.testing.TaskFixtures.stale;
import static io.stepwise.testing.TaskFixtures.succeeded;
import static io.stepwise.testing.TaskFixtures.task;
import static io.stepwise.testing.TaskFixtures.terminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.ExecutionOutcome;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Retention;
import io.stepwise.model.Run;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.testing.InMemoryTaskRepository;
import io.stepwise.testing.InMemoryWorkflow;
import io.stepwise.testing.InMemoryWorkflow.Start;
import io.stepwise.testing.InMemoryWorkflow.Stop;
import io.stepwise.testing.RecordingOutcomes;
import io.stepwise.testing.RulesTestPipeline;
import io.stepwise.workflow.ExecutionInput;
import io.stepwise.workflow.WorkflowThrottledException;
import io.stepwise.workflow.WorkflowUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The task rules of docs/architecture.md ("Retry, redrive, cancel") on {@link TaskService}, against
 * an in-memory task table (conditional on version, like the DynamoDB one) and an in-memory Step
 * Functions.
 */
class TaskServiceTest {

  private static final String PIPELINE = RulesTestPipeline.NAME;
  private static final String ID = "task-1";
  private static final Retention RETENTION =
      new Retention(Duration.ofDays(30), Duration.ofHours(24));

  /**
   * Three tries, no pause between them (the pause itself is {@link StartPacingTest}'s business).
   */
  private static final StartPacing PACING = new StartPacing(3, Duration.ZERO, Duration.ZERO);

  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(CLOCK);
  private final InMemoryWorkflow workflow = new InMemoryWorkflow();
  private final RecordingOutcomes outcomes = new RecordingOutcomes();
  private final TaskService service =
      new TaskService(
          tasks,
          workflow,
          CLOCK,
          RETENTION,
          PACING,
          outcomes,
          RulesTestPipeline.pipelines(),
          pipeline -> {
            throw new UnsupportedOperationException("no input reader in this test");
          });
  private ExecutorService pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  // ---- create, prepare, launch
  // ---------------------------------------------------------------------------

  @Test
  void create_storesTaskAndStartsRunZeroAtFirstStep() {
    Task created = service.create(PIPELINE, input("a"), null, "owner-1", "batch-1");

    String id = created.taskId();
    assertThat(created.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(created.pipeline()).isEqualTo(PIPELINE);
    assertThat(created.currentRunId()).isEqualTo("r0");
    assertThat(created.runs())
        .containsExactly(new Run("r0", arn(id, 0), GATHER, TaskStatus.RUNNING, 0, -1));
    assertThat(created.retryCount()).isZero();
    assertThat(created.batchId()).isEqualTo("batch-1");
    assertThat(created.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    assertThat(workflow.starts())
        .containsExactly(new Start(PIPELINE, id + "--r0", new ExecutionInput(id, "r0", GATHER)));
    assertThat(tasks.stored(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(outcomes.finished()).isEmpty();
  }

  @Test
  void prepare_storesPendingTaskAndStartsNothing_launchStartsItOnce() {
    Task pending = service.prepare(PIPELINE, input("a"), null, "owner-1", null);

    assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(tasks.stored(pending.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
    assertThat(workflow.attempts()).isEmpty();

    Task launched = service.launch(pending);
    assertThat(launched.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(service.launch(launched))
        .as("a task past pending is returned as it is")
        .isEqualTo(launched);
    assertThat(workflow.starts()).hasSize(1);
  }

  @Test
  void sameIdempotencyKey_returnsSameTaskAndStartsOneExecution() {
    Task first = service.create(PIPELINE, input("a"), "key-1", "owner-1", null);
    Task second = service.create(PIPELINE, input("a"), "key-1", "owner-1", null);

    assertThat(second.taskId())
        .isEqualTo(first.taskId())
        .isEqualTo(TaskService.taskIdFor("owner-1", "key-1"));
    assertThat(second.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(tasks.all()).hasSize(1);
    assertThat(workflow.starts()).hasSize(1);
  }

  @Test
  void sameIdempotencyKeyFromAnotherOwner_isAnotherTask() {
    Task mine = service.create(PIPELINE, input("a"), "key-1", "owner-1", null);
    Task theirs = service.create(PIPELINE, input("a"), "key-1", "owner-2", null);

    assertThat(theirs.taskId()).isNotEqualTo(mine.taskId());
    assertThat(workflow.starts()).hasSize(2);
  }

  @Test
  void sameIdempotencyKeyWithDifferentInput_isRejectedAndChangesNothing() {
    Task first = service.create(PIPELINE, input("a"), "key-1", "owner-1", null);
    int writes = tasks.writes();

    assertThatThrownBy(() -> service.create(PIPELINE, input("b"), "key-1", "owner-1", null))
        .isInstanceOf(IdempotencyKeyReusedException.class)
        .hasMessageContaining(first.taskId());
    assertThat(tasks.writes()).isEqualTo(writes);
    assertThat(tasks.stored(first.taskId()).orElseThrow().input()).isEqualTo(input("a"));
    assertThat(workflow.starts()).hasSize(1);
  }

  @Test
  void sameIdempotencyKeyAfterTaskWasStoredButNotStarted_startsTheStoredTask() {
    Task stored = service.prepare(PIPELINE, input("a"), "key-1", "owner-1", null);

    Task again = service.create(PIPELINE, input("a"), "key-1", "owner-1", null);

    assertThat(again.taskId()).isEqualTo(stored.taskId());
    assertThat(again.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(workflow.starts())
        .containsExactly(
            new Start(
                PIPELINE,
                stored.taskId() + "--r0",
                new ExecutionInput(stored.taskId(), "r0", GATHER)));
  }

  // ---- starts that Step Functions refuses or throttles
  // ---------------------------------------------------

  @Test
  void startRefusedOnCreate_putsTaskBackToFailedWithWorkflowUnavailable() {
    workflow.refuseNextStart();

    assertThatThrownBy(() -> service.create(PIPELINE, input("a"), null, "owner-1", null))
        .isInstanceOf(WorkflowUnavailableException.class);

    Task stored = tasks.all().get(0);
    assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored.failedStep()).isEqualTo(GATHER);
    assertThat(stored.error().type()).isEqualTo("WorkflowUnavailable");
    assertThat(stored.error().step()).isEqualTo(GATHER);
    assertThat(stored.error().message()).contains("StateMachineDoesNotExist");
    assertThat(stored.currentRun().orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(workflow.starts()).isEmpty();
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);

    Task retried = service.retry(stored.taskId(), null);
    assertThat(retried.currentRun().orElseThrow().startAt()).isEqualTo(GATHER);
    assertThat(workflow.starts())
        .extracting(Start::executionName)
        .containsExactly(stored.taskId() + "--r1");
  }

  @Test
  void startRefusedOnRetry_putsTaskBackToFailedAtTheStartStep() {
    seed(tasks, failedAtSummarise());
    workflow.refuseNextStart();

    assertThatThrownBy(() -> service.retry(ID, null))
        .isInstanceOf(WorkflowUnavailableException.class);

    Task stored = tasks.stored(ID).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored.failedStep()).isEqualTo(SUMMARISE);
    assertThat(stored.error().type()).isEqualTo("WorkflowUnavailable");
    assertThat(stored.currentRunId()).isEqualTo("r1");
    assertThat(stored.currentRun().orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.FAILED);

    service.retry(ID, null);
    assertThat(workflow.starts())
        .containsExactly(new Start(PIPELINE, ID + "--r2", new ExecutionInput(ID, "r2", SUMMARISE)));
  }

  @Test
  void throttledStart_isTriedAgainWithTheSameNameAndInput_upToStartPacingAttempts() {
    workflow.throttleNextStarts(PACING.attempts() - 1);

    Task created = service.create(PIPELINE, input("a"), null, "owner-1", null);

    Start expected =
        new Start(
            PIPELINE,
            created.taskId() + "--r0",
            new ExecutionInput(created.taskId(), "r0", GATHER));
    assertThat(workflow.attempts()).hasSize(PACING.attempts()).containsOnly(expected);
    assertThat(workflow.starts()).containsExactly(expected);
    assertThat(created.status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void startThrottledOnEveryPacedAttempt_givesUpAndPutsTaskBackToFailed() {
    workflow.throttleNextStarts(PACING.attempts());

    assertThatThrownBy(() -> service.create(PIPELINE, input("a"), null, "owner-1", null))
        .isInstanceOf(WorkflowThrottledException.class);

    assertThat(workflow.attempts()).hasSize(PACING.attempts());
    assertThat(workflow.starts()).isEmpty();
    Task stored = tasks.all().get(0);
    assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored.error().type()).isEqualTo("WorkflowUnavailable");
  }

  // ---- retry
  // -----------------------------------------------------------------------------------------------

  @Test
  void retryFromFailedStep_skipsCompletedSteps() {
    seed(tasks, failedAtSummarise());

    Task retried = service.retry(ID, null);

    assertThat(retried.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(retried.failedStep()).isNull();
    assertThat(retried.error()).isNull();
    assertThat(retried.retryCount()).isEqualTo(1);
    assertThat(retried.currentRunId()).isEqualTo("r1");
    assertThat(retried.currentRun())
        .contains(new Run("r1", arn(ID, 1), SUMMARISE, TaskStatus.RUNNING, 0, -1));
    assertThat(workflow.starts())
        .containsExactly(new Start(PIPELINE, ID + "--r1", new ExecutionInput(ID, "r1", SUMMARISE)));
    Task stored = tasks.stored(ID).orElseThrow();
    assertThat(stored.version()).isEqualTo(8);
    assertThat(stored.stepStatus(GATHER)).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(stored.stepStatus(SUMMARISE)).isEqualTo(StepStatus.STALE);
    assertThat(stored.steps()).doesNotContainKey(WRITE_REPORT);
    assertThat(outcomes.finished()).isEmpty();
  }

  @Test
  void
      retryFromNamedStep_startsThere_marksItAndLaterStepsStale_keepsEarlierStepsAndEveryCheckpoint() {
    seed(tasks, failedAtWriteReport());

    Task retried = service.retry(ID, SUMMARISE);

    assertThat(retried.currentRun().orElseThrow().startAt()).isEqualTo(SUMMARISE);
    assertThat(workflow.starts())
        .containsExactly(new Start(PIPELINE, ID + "--r1", new ExecutionInput(ID, "r1", SUMMARISE)));
    Task stored = tasks.stored(ID).orElseThrow();
    assertThat(stored.stepStatus(GATHER)).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(stored.stepStatus(SUMMARISE)).isEqualTo(StepStatus.STALE);
    assertThat(stored.stepStatus(WRITE_REPORT)).isEqualTo(StepStatus.STALE);
    assertThat(stored.steps().get(SUMMARISE).runId())
        .as("a stale step keeps the run it came from")
        .isEqualTo("r0");
    assertThat(tasks.storedCheckpoints(ID))
        .as("stale checkpoints are kept for audit")
        .containsOnlyKeys(GATHER, SUMMARISE);
  }

  @Test
  void retryFromFirstStep_marksEveryStepStale() {
    seed(tasks, failedAtWriteReport());

    service.retry(ID, GATHER);

    Task stored = tasks.stored(ID).orElseThrow();
    assertThat(stored.steps().values()).extracting(s -> s.status()).containsOnly(StepStatus.STALE);
    assertThat(workflow.starts()).extracting(s -> s.input().startAt()).containsExactly(GATHER);
  }

  @Test
  void retryOfCancelledTask_resumesAtFirstStepWithoutUsableCheckpoint() {
    Task cancelled =
        task(ID, TaskStatus.CANCELLED, run(ID, 0, GATHER, TaskStatus.CANCELLED, 0, 1))
            .steps(Map.of(GATHER, succeeded("r0"), SUMMARISE, running("r0")))
            .build();
    seed(tasks, cancelled);

    Task retried = service.retry(ID, null);

    assertThat(retried.currentRun().orElseThrow().startAt()).isEqualTo(SUMMARISE);
  }

  @Test
  void retryOfASucceededTask_withoutAStep_isConflictAskingForOne_butFromAStepIsARerun() {
    Task seeded =
        seed(
            tasks,
            task(ID, TaskStatus.SUCCEEDED, run(ID, 0, GATHER, TaskStatus.SUCCEEDED, 0, 1))
                .steps(
                    Map.of(
                        GATHER,
                        succeeded("r0"),
                        SUMMARISE,
                        succeeded("r0"),
                        WRITE_REPORT,
                        succeeded("r0")))
                .build());

    assertThatThrownBy(() -> service.retry(ID, null))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("task succeeded; to run it again, name the step to rerun from");
    assertThat(tasks.stored(ID)).contains(seeded);
    assertThat(workflow.attempts()).isEmpty();

    Task rerun = service.retry(ID, SUMMARISE);
    assertThat(rerun.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(rerun.currentRun().orElseThrow().startAt()).isEqualTo(SUMMARISE);
    assertThat(rerun.currentRun().orElseThrow().overrides()).isNull();
    assertThat(workflow.attempts()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskStatus.class,
      names = {"PENDING", "RUNNING"})
  void retryOfTaskThatIsNotFailedOrCancelled_isConflict_writesNothingAndStartsNothing(
      TaskStatus status) {
    Task seeded =
        seed(
            tasks,
            task(ID, status, run(ID, 0, GATHER, status, 0, 1))
                .steps(Map.of(GATHER, succeeded("r0")))
                .build());

    for (String from : new String[] {null, SUMMARISE}) {
      assertThatThrownBy(() -> service.retry(ID, from))
          .isInstanceOf(TaskConflictException.class)
          .hasMessageContaining("task is " + status.wire());
    }
    assertThat(tasks.writes()).isZero();
    assertThat(tasks.stored(ID)).contains(seeded);
    assertThat(workflow.attempts()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"analyze", "Summarise", "publish", ""})
  void retryFromUnknownStep_isInvalidInputNamingThePipelinesSteps(String step) {
    seed(tasks, failedAtSummarise());

    assertThatThrownBy(() -> service.retry(ID, step))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'" + step + "'")
        .hasMessageContaining("rules-test")
        .hasMessageContaining("gather, summarise, write_report");
    assertThat(tasks.writes()).isZero();
    assertThat(workflow.attempts()).isEmpty();
  }

  @Test
  void retryUnknownTask_isNotFound() {
    assertThatThrownBy(() -> service.retry("no-such-task", null))
        .isInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void retryWhenEarlierCheckpointExpired_isConflictNamingEarliestUsableStep() {
    tasks.put(failedAtWriteReport());
    tasks.putCheckpoint(ID, expiredCheckpoint(GATHER, "r0"));
    tasks.putCheckpoint(ID, checkpoint(SUMMARISE, "r0"));

    TaskConflictException conflict = conflictOf(() -> service.retry(ID, null));

    assertThat(conflict.earliestStep()).contains(GATHER);
    assertThat(conflict).hasMessageContaining("retry from gather");
    assertThat(tasks.writes()).isZero();
    assertThat(workflow.attempts()).isEmpty();

    Task retried = service.retry(ID, conflict.earliestStep().orElseThrow());
    assertThat(retried.currentRun().orElseThrow().startAt()).isEqualTo(GATHER);
  }

  @Test
  void retryWhenEarlierCheckpointIsMissing_isConflictNamingEarliestUsableStep() {
    tasks.put(failedAtWriteReport());
    tasks.putCheckpoint(ID, checkpoint(GATHER, "r0")); // summarise's checkpoint item is gone

    TaskConflictException conflict = conflictOf(() -> service.retry(ID, WRITE_REPORT));

    assertThat(conflict.earliestStep()).contains(SUMMARISE);
    assertThat(tasks.writes()).isZero();
    assertThat(workflow.attempts()).isEmpty();
  }

  @Test
  void retryWhenEarlierStepIsStale_isConflictNamingEarliestUsableStep() {
    // r0 failed at write_report; r1 (from gather) was cancelled before gather ran: every step is
    // stale, though
    // r0's checkpoints are still stored.
    Task cancelled =
        task(
                ID,
                TaskStatus.CANCELLED,
                run(ID, 0, GATHER, TaskStatus.FAILED, 0, 1),
                run(ID, 1, GATHER, TaskStatus.CANCELLED, 0, 1))
            .steps(Map.of(GATHER, stale("r0"), SUMMARISE, stale("r0"), WRITE_REPORT, stale("r0")))
            .build();
    seed(tasks, cancelled);

    TaskConflictException conflict = conflictOf(() -> service.retry(ID, WRITE_REPORT));

    assertThat(conflict.earliestStep()).contains(GATHER);
    assertThat(tasks.writes()).isZero();
    assertThat(workflow.attempts()).isEmpty();
  }

  @Test
  void retryFromStepPastTheFailedOne_isConflictNamingTheFailedStep() {
    seed(tasks, failedAtSummarise());

    TaskConflictException conflict = conflictOf(() -> service.retry(ID, WRITE_REPORT));

    assertThat(conflict.earliestStep()).contains(SUMMARISE);
    assertThat(workflow.attempts()).isEmpty();
  }

  @Test
  void twoConcurrentRetries_exactlyOneWins_theOtherIsConflict() throws Exception {
    seed(tasks, failedAtWriteReport());
    CyclicBarrier bothHaveRead = new CyclicBarrier(2);
    tasks.afterLoad(() -> await(bothHaveRead)); // both read version 7 before either writes
    pool = Executors.newFixedThreadPool(2);
    Callable<Object> fromFailedStep = () -> outcomeOf(() -> service.retry(ID, null));
    Callable<Object> fromGather = () -> outcomeOf(() -> service.retry(ID, GATHER));

    List<Object> results = new ArrayList<>();
    for (Future<Object> f :
        pool.invokeAll(List.of(fromFailedStep, fromGather), 10, TimeUnit.SECONDS)) {
      results.add(f.get());
    }

    assertThat(results).filteredOn(Task.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(TaskConflictException.class::isInstance).hasSize(1);
    Task winner = (Task) results.stream().filter(Task.class::isInstance).findFirst().orElseThrow();
    Task stored = tasks.stored(ID).orElseThrow();
    assertThat(stored.retryCount()).isEqualTo(1);
    assertThat(stored.runs()).hasSize(2);
    assertThat(stored.currentRun().orElseThrow().startAt())
        .isEqualTo(winner.currentRun().orElseThrow().startAt());
    assertThat(workflow.starts()).hasSize(1);
    assertThat(workflow.starts().get(0).input().startAt())
        .isEqualTo(winner.currentRun().orElseThrow().startAt());
    assertThat(tasks.conflicts()).isEqualTo(1);
  }

  // ---- cancel
  // ----------------------------------------------------------------------------------------------

  @Test
  void cancelRunningTask_stopsItsExecutionAndMarksItCancelled() {
    seed(
        tasks,
        task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, 0))
            .steps(Map.of(GATHER, running("r0")))
            .build());

    Task cancelled = service.cancel(ID);

    assertThat(workflow.stops()).containsExactly(new Stop(arn(ID, 0), "cancelled through the API"));
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    Run run = cancelled.currentRun().orElseThrow();
    assertThat(run.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(run.eventRank())
        .as("terminal rank: a late RUNNING of this execution cannot revive it")
        .isEqualTo(1);
    assertThat(tasks.stored(ID).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.CANCELLED);
    assertThat(cancelled.status().retryable()).as("may be retried later").isTrue();
  }

  @Test
  void cancelPendingTask_cancelsIt() {
    Task pending = service.prepare(PIPELINE, input("a"), null, "owner-1", null);

    Task cancelled = service.cancel(pending.taskId());

    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(workflow.stops())
        .extracting(Stop::executionArn)
        .containsExactly(arn(pending.taskId(), 0));
    assertThat(workflow.starts()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskStatus.class,
      names = {"SUCCEEDED", "FAILED", "CANCELLED"})
  void cancelFinishedTask_isConflictAndChangesNothing(TaskStatus status) {
    Task seeded = seed(tasks, task(ID, status, run(ID, 0, GATHER, status, 0, 1)).build());

    assertThatThrownBy(() -> service.cancel(ID))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("already " + status.wire());
    assertThat(tasks.stored(ID)).contains(seeded);
    assertThat(tasks.writes()).isZero();
    assertThat(workflow.stops()).isEmpty();
    assertThat(outcomes.finished()).isEmpty();
  }

  @Test
  void cancel_whenTheAbortedEventLandsFirst_returnsTheCancelledTaskAndReportsItOnce() {
    seed(tasks, task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, 0)).build());
    TaskLifecycle lifecycle =
        new TaskLifecycle(tasks, CLOCK, outcomes, RulesTestPipeline.pipelines());
    tasks.beforeNextWrite(
        () ->
            lifecycle.onExecutionStatus(
                ID, "r0", ExecutionOutcome.ABORTED, 0, ExecutionError.NONE));

    Task cancelled = service.cancel(ID);

    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.CANCELLED);
  }

  @Test
  void cancel_racingTheExecutionsSuccess_isConflictAndTheTaskStaysSucceeded() {
    seed(tasks, task(ID, TaskStatus.RUNNING, run(ID, 0, GATHER, TaskStatus.RUNNING, 0, 0)).build());
    TaskLifecycle lifecycle =
        new TaskLifecycle(tasks, CLOCK, outcomes, RulesTestPipeline.pipelines());
    tasks.beforeNextWrite(
        () ->
            lifecycle.onExecutionStatus(
                ID, "r0", ExecutionOutcome.SUCCEEDED, 0, ExecutionError.NONE));

    assertThatThrownBy(() -> service.cancel(ID))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("already succeeded");
    assertThat(tasks.stored(ID).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(outcomes.statuses()).containsExactly(TaskStatus.SUCCEEDED);
  }

  // ---- fixtures
  // --------------------------------------------------------------------------------------------

  /** Run r0 succeeded at gather and failed terminally at summarise. */
  private static Task failedAtSummarise() {
    return task(ID, TaskStatus.FAILED, run(ID, 0, GATHER, TaskStatus.FAILED, 0, 1))
        .failedStep(SUMMARISE)
        .error(terminal(SUMMARISE, "the model refused the prompt"))
        .steps(
            Map.of(
                GATHER,
                succeeded("r0"),
                SUMMARISE,
                failed("r0", terminal(SUMMARISE, "the model refused the prompt"))))
        .build();
  }

  /** Run r0 succeeded at gather and summarise and failed terminally at write_report. */
  private static Task failedAtWriteReport() {
    return task(ID, TaskStatus.FAILED, run(ID, 0, GATHER, TaskStatus.FAILED, 0, 1))
        .failedStep(WRITE_REPORT)
        .error(terminal(WRITE_REPORT, "report too short"))
        .steps(
            Map.of(
                GATHER, succeeded("r0"),
                SUMMARISE, succeeded("r0"),
                WRITE_REPORT, failed("r0", terminal(WRITE_REPORT, "report too short"))))
        .build();
  }

  private static TaskConflictException conflictOf(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(TaskConflictException.class);
    return (TaskConflictException) thrown;
  }

  private static Object outcomeOf(Callable<Task> call) throws Exception {
    try {
      return call.call();
    } catch (TaskConflictException conflict) {
      return conflict;
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other retry never read the task", e);
    }
  }
}
