package io.stepwise.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.StepState;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.ScriptedSteps;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancel is a fence (docs/architecture.md, Retry, redrive, cancel): races of a cancel against a
 * retry, and against a run in progress, over many trials. A violation is an acknowledged cancel
 * after which a step still starts (the sum of the steps' execution counts grows; a publish counts
 * twice) or after which the task is not cancelled. A cancel acknowledged after publish had started
 * is no violation: it came after. The steps are driven the way the state machine drives them, on
 * their own thread, as soon as the run exists.
 */
@MicronautTest(environments = {"test", "scripted"})
class CancelRaceIT extends DigestServicesBase {

  private static final int TRIALS = Integer.getInteger("stepwise.race.trials", 40);

  @Inject TaskService tasks;
  @Inject TaskLifecycle lifecycle;
  private StepDriver driver;
  private ExecutorService pool;
  private volatile int publishesAtAck;
  private volatile int answeredExecutions;

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  void tearDown() {
    pool.shutdownNow();
  }

  private Task newTask() {
    return tasks.create(
        PaperDigest.NAME,
        tree(
            new DigestInput(
                "arxiv",
                new PaperQuery(List.of("cs.AI"), List.of(), 2),
                1,
                "en",
                new DigestInput.Publish("none"),
                null)),
        null,
        null,
        null);
  }

  private int executions(String taskId) {
    return tasks.get(taskId).task().steps().values().stream().mapToInt(StepState::executions).sum();
  }

  private int publishes(String taskId) {
    StepState publish = tasks.get(taskId).task().steps().get(PaperDigest.PUBLISH);
    return publish == null ? 0 : publish.executions();
  }

  /**
   * One race: {@code run} drives steps; the cancel waits until the task is active (a retry has
   * written its run), then a random pause of up to {@code maxPauseMs}, then cancels. Returns the
   * violations.
   */
  private int race(String taskId, Runnable run, int maxPauseMs) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Future<?> steps =
        pool.submit(
            () -> {
              await(go);
              run.run();
            });
    Future<Integer> afterCancel =
        pool.submit(
            () -> {
              await(go);
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
              while (!tasks.get(taskId).task().status().active() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
              pause(ThreadLocalRandom.current().nextInt(0, maxPauseMs + 1));
              Task answered;
              try {
                answered = tasks.cancel(taskId);
              } catch (TaskConflictException finishedFirst) {
                return -1; // the run ended before the cancel: nothing was acknowledged
              }
              publishesAtAck = publishes(taskId);
              int now = executions(taskId);
              answeredExecutions =
                  answered.steps().values().stream().mapToInt(StepState::executions).sum();
              return now;
            });
    go.countDown();
    steps.get(30, TimeUnit.SECONDS);
    int atAck = afterCancel.get(30, TimeUnit.SECONDS);
    if (atAck < 0) {
      return 0;
    }
    int violations = 0;
    Task end = tasks.get(taskId).task();
    if (end.status() != TaskStatus.CANCELLED) {
      violations++;
    }
    if (executions(taskId) > atAck) {
      violations++;
    }
    if (publishes(taskId) > publishesAtAck) {
      violations++; // counted twice on purpose: a publish after the cancel is the worst case
    }
    if (answeredExecutions != atAck) {
      violations++; // the cancel's answer hid a step that had started: it must be the truth
      System.out.printf(
          "violation: the cancel answered %d step executions, the task had %d%n",
          answeredExecutions, atAck);
    }
    if (violations > 0) {
      System.out.printf(
          "violation: task %s ended %s, step executions %d at the cancel's acknowledgement, %d at the end: %s%n",
          taskId, end.status().wire(), atAck, executions(taskId), end.steps());
    }
    return violations;
  }

  @Test
  void cancelRacingARetry_neverLetsAStepStartAfterTheAcknowledgement() throws Exception {
    int violations = 0;
    int acknowledged = 0;
    for (int i = 0; i < TRIALS; i++) {
      steps.on(
          PaperDigest.ANALYZE,
          c -> {
            throw new TerminalStepException("boom");
          });
      Task t = newTask();
      try {
        driver.runFrom(t.taskId(), "r0", PaperDigest.FETCH_PAPERS);
      } catch (TerminalStepException expected) {
        lifecycle.recordFailure(
            t.taskId(),
            "r0",
            0,
            new ExecutionError("TerminalStepException", expected.getMessage()));
      }
      steps.reset();
      slowSteps();
      String id = t.taskId();
      violations +=
          race(
              id,
              () -> {
                Task retried;
                try {
                  retried = tasks.retry(id, null);
                } catch (TaskConflictException cancelledFirst) {
                  return; // the cancel came first: a cancelled-then-retried task is not this race
                }
                runQuietly(id, retried.currentRunId(), PaperDigest.ANALYZE);
              },
              3);
      if (tasks.get(id).task().status() == TaskStatus.CANCELLED) {
        acknowledged++;
      }
    }
    System.out.printf(
        "cancel x retry: %d trials, %d cancels acknowledged, %d violations%n",
        TRIALS, acknowledged, violations);
    assertThat(violations).isZero();
  }

  @Test
  void cancelRacingARunningTask_neverLetsAStepStartAfterTheAcknowledgement() throws Exception {
    int violations = 0;
    int acknowledged = 0;
    for (int i = 0; i < TRIALS; i++) {
      steps.reset();
      slowSteps();
      Task t = newTask();
      violations +=
          race(t.taskId(), () -> runQuietly(t.taskId(), "r0", PaperDigest.FETCH_PAPERS), 20);
      if (tasks.get(t.taskId()).task().status() == TaskStatus.CANCELLED) {
        acknowledged++;
      }
    }
    System.out.printf(
        "cancel x running task: %d trials, %d cancels acknowledged, %d violations%n",
        TRIALS, acknowledged, violations);
    assertThat(violations).isZero();
  }

  /**
   * Each step body takes a few milliseconds, as a real one takes seconds: the cancel can land
   * between steps.
   */
  private void slowSteps() {
    for (String step :
        List.of(
            PaperDigest.FETCH_PAPERS,
            PaperDigest.ANALYZE,
            PaperDigest.RENDER_IMAGES,
            PaperDigest.BUILD_PAYLOAD,
            PaperDigest.PUBLISH)) {
      steps.on(
          step,
          c -> {
            pause(2);
            return new ScriptedSteps.Output(step, c.taskId(), List.of());
          });
    }
  }

  /**
   * Drives the run as the state machine would; a step refused by the fence ends the execution
   * there.
   */
  private void runQuietly(String taskId, String runId, String from) {
    try {
      driver.runFrom(taskId, runId, from);
    } catch (TerminalStepException refused) {
      // the Catch path: RecordFailure must leave a cancelled task cancelled
      lifecycle.recordFailure(
          taskId, runId, 0, new ExecutionError("TerminalStepException", refused.getMessage()));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
