package io.stepwise.lifecycle;

import static io.stepwise.testing.RulesTestPipeline.GATHER;
import static io.stepwise.testing.TaskFixtures.CLOCK;
import static io.stepwise.testing.TaskFixtures.NOW;
import static io.stepwise.testing.TaskFixtures.arn;
import static io.stepwise.testing.TaskFixtures.run;
import static io.stepwise.testing.TaskFixtures.seed;
import static io.stepwise.testing.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.stepwise.batches.BatchConfig;
import io.stepwise.batches.BatchPacer;
import io.stepwise.model.Retention;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.StartPacing;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.InMemoryTaskRepository;
import io.stepwise.testing.InMemoryWorkflow;
import io.stepwise.testing.NoBatches;
import io.stepwise.testing.RecordingOutcomes;
import io.stepwise.testing.RulesTestPipeline;
import io.stepwise.workflow.ExecutionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The reconciler repairs what a lost status event left behind (docs/architecture.md, Reconciler): a
 * quiet task whose execution has ended gets the outcome execution-events would have applied;
 * anything else is left alone.
 */
class ReconcilerTest {

  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(CLOCK);
  private final InMemoryWorkflow workflow = new InMemoryWorkflow();
  private final RecordingOutcomes outcomes = new RecordingOutcomes();
  private final TaskLifecycle lifecycle =
      new TaskLifecycle(tasks, CLOCK, outcomes, RulesTestPipeline.pipelines());
  private final TaskService service =
      new TaskService(
          tasks,
          workflow,
          CLOCK,
          new Retention(Duration.ofDays(30), Duration.ofHours(24)),
          new StartPacing(1, Duration.ZERO, Duration.ZERO),
          outcomes,
          RulesTestPipeline.pipelines(),
          pipeline -> {
            throw new UnsupportedOperationException("no input reader in this test");
          });
  private final Reconciler reconciler =
      new Reconciler(
          tasks,
          workflow,
          lifecycle,
          new LambdaErrors(JsonMapper.createDefault()),
          CLOCK,
          new Reconciler.Settings(Duration.ofMinutes(2), 100),
          service,
          new BatchPacer(
              new NoBatches(),
              service,
              tasks,
              new BatchConfig(500, 4, Duration.ofMinutes(1), 10, 50)));

  /** A task running r0 whose last activity was {@code quietFor} ago. */
  private Task running(String id, Duration quietFor) {
    return seed(
        tasks,
        task(id, TaskStatus.RUNNING, run(id, 0, GATHER, TaskStatus.RUNNING, 0, 0))
            .updatedAt(NOW.minus(quietFor))
            .build());
  }

  private TaskStatus status(String id) {
    return tasks.stored(id).orElseThrow().status();
  }

  @Test
  void quietRunningTask_whoseExecutionSucceeded_becomesSucceeded_once() {
    running("t1", Duration.ofMinutes(10));
    workflow.execution(arn("t1", 0), new ExecutionState("SUCCEEDED", 0, null, null));

    Reconciler.Report first = reconciler.sweep();
    Reconciler.Report second = reconciler.sweep();

    assertThat(status("t1")).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(first.repaired()).isEqualTo(1);
    assertThat(second.checked()).isZero();
    assertThat(outcomes.finished()).hasSize(1);
  }

  @Test
  void quietRunningTask_whoseExecutionFailed_becomesFailed_withTheExecutionsError() {
    running("t2", Duration.ofMinutes(10));
    workflow.execution(
        arn("t2", 0), new ExecutionState("FAILED", 0, "States.Timeout", "the state timed out"));

    reconciler.sweep();

    Task failed = tasks.stored("t2").orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.error().type()).isEqualTo("States.Timeout");
    assertThat(failed.error().message()).contains("timed out");
  }

  @Test
  void quietTaskAwaitingReview_whoseExecutionEnded_isRepaired_whileAWaitingOneIsLeftAlone() {
    seed(
        tasks,
        task("r1", TaskStatus.AWAITING_REVIEW, run("r1", 0, GATHER, TaskStatus.RUNNING, 0, 0))
            .updatedAt(NOW.minus(Duration.ofHours(25)))
            .build());
    seed(
        tasks,
        task("r2", TaskStatus.AWAITING_REVIEW, run("r2", 0, GATHER, TaskStatus.RUNNING, 0, 0))
            .updatedAt(NOW.minus(Duration.ofHours(1)))
            .build());
    workflow.execution(
        arn("r1", 0), new ExecutionState("FAILED", 0, "States.Timeout", "the review timed out"));
    workflow.execution(arn("r2", 0), new ExecutionState("RUNNING", 0, null, null));

    Reconciler.Report report = reconciler.sweep();

    assertThat(status("r1")).isEqualTo(TaskStatus.FAILED);
    assertThat(status("r2")).isEqualTo(TaskStatus.AWAITING_REVIEW);
    assertThat(report.repaired()).isEqualTo(1);
    assertThat(report.stillRunning()).isEqualTo(1);
  }

  @Test
  void quietTask_whoseExecutionStillRuns_isLeftAlone() {
    running("t3", Duration.ofMinutes(10));
    workflow.execution(arn("t3", 0), new ExecutionState("RUNNING", 0, null, null));

    Reconciler.Report report = reconciler.sweep();

    assertThat(status("t3")).isEqualTo(TaskStatus.RUNNING);
    assertThat(report.stillRunning()).isEqualTo(1);
    assertThat(report.repaired()).isZero();
  }

  @Test
  void taskActiveWithinTheGracePeriod_isNotEvenChecked() {
    running("t4", Duration.ofSeconds(30));
    workflow.execution(arn("t4", 0), new ExecutionState("SUCCEEDED", 0, null, null));

    Reconciler.Report report = reconciler.sweep();

    assertThat(report.checked()).isZero();
    assertThat(status("t4")).isEqualTo(TaskStatus.RUNNING);
  }

  /** A pending task stored {@code quietFor} ago whose start never happened. */
  private void stranded(String id, Duration quietFor) {
    seed(
        tasks,
        task(id, TaskStatus.PENDING, run(id, 0, GATHER, TaskStatus.PENDING, 0, -1))
            .createdAt(NOW.minus(quietFor))
            .updatedAt(NOW.minus(quietFor))
            .build());
  }

  @Test
  void pendingTaskWhoseStartWasCutShort_isStartedOnce_afterTheGrace() {
    stranded("t5", Duration.ofMinutes(10));
    stranded("t6", Duration.ofSeconds(30));

    Reconciler.Report first = reconciler.sweep();
    Reconciler.Report second = reconciler.sweep();

    assertThat(first.startedStranded()).isEqualTo(1);
    assertThat(second.startedStranded()).isZero();
    assertThat(workflow.starts()).extracting(s -> s.input().taskId()).containsExactly("t5");
    assertThat(status("t5")).isEqualTo(TaskStatus.RUNNING);
    assertThat(status("t6"))
        .as("still within the grace: its request may be starting it")
        .isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void strandedTask_whenStepFunctionsRefusesItsStart_isFailedWithTheReason_andTheSweepGoesOn() {
    stranded("t7", Duration.ofMinutes(10));
    workflow.refuseNextStart();

    Reconciler.Report report = reconciler.sweep();

    assertThat(report.unavailable()).isEqualTo(1);
    Task failed = tasks.stored("t7").orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.error().type()).isEqualTo("WorkflowUnavailable");
  }

  @Test
  void redrivenExecutionThatSucceeded_repairsTheTaskFailedAtItsFirstAttempt() {
    seed(
        tasks,
        task("t6", TaskStatus.RUNNING, run("t6", 0, GATHER, TaskStatus.RUNNING, 1, 2))
            .updatedAt(NOW.minus(Duration.ofMinutes(10)))
            .build());
    workflow.execution(arn("t6", 0), new ExecutionState("SUCCEEDED", 1, null, null));

    reconciler.sweep();

    assertThat(status("t6")).isEqualTo(TaskStatus.SUCCEEDED);
  }

  @Test
  void stepFunctionsUnreachable_skipsTheTask_andTheSweepGoesOn() {
    running("t7", Duration.ofMinutes(10));
    running("t8", Duration.ofMinutes(10));
    workflow.undescribable(arn("t7", 0));
    workflow.execution(arn("t8", 0), new ExecutionState("SUCCEEDED", 0, null, null));

    Reconciler.Report report = reconciler.sweep();

    assertThat(report.unavailable()).isEqualTo(1);
    assertThat(status("t7")).isEqualTo(TaskStatus.RUNNING);
    assertThat(status("t8")).isEqualTo(TaskStatus.SUCCEEDED);
  }
}
