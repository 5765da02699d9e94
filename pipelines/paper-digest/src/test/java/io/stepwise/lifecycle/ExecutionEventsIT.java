package io.stepwise.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StatusChangeEvents;
import io.stepwise.testing.StepDriver;
import io.stepwise.testing.TestLambdaContext;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The execution-events handler, fed the EventBridge JSON that AWS sends, in any order and repeated.
 */
@MicronautTest(environments = {"test", "scripted"})
class ExecutionEventsIT extends DigestServicesBase {

  private static final String LAMBDA_CAUSE =
      "{\"errorMessage\":\"arXiv answered 503\",\"errorType\":\"io.stepwise.steps.errors.TransientStepException\",\"stackTrace\":[\"io.stepwise.steps.StepRuntime.run(StepRuntime.java:1)\"]}";

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  ExecutionEventsFunction function;
  StepDriver driver;

  @BeforeAll
  void setUp() throws IOException {
    function = new ExecutionEventsFunction(context);
    driver = new StepDriver(context);
  }

  private Task newTask() {
    return tasks.create(
        PaperDigest.NAME,
        tree(
            new DigestInput(
                "arxiv",
                new PaperQuery(List.of("cs.AI"), List.of(), 2),
                3,
                "en",
                new DigestInput.Publish("none"),
                null)),
        null,
        null,
        null);
  }

  private String event(
      String taskId, int run, String status, int redriveCount, String error, String cause) {
    return StatusChangeEvents.of(taskId, run, status, redriveCount, error, cause);
  }

  private boolean deliver(String eventJson) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    function.handleRequest(
        new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
        out,
        new TestLambdaContext("execution-events"));
    return json.readValue(out.toByteArray(), HandlerResult.class).changed();
  }

  private Task task(String id) {
    return tasks.get(id).task();
  }

  /**
   * The step fails with a retryable error (recorded by the runtime) and the execution fails after
   * retries.
   */
  private Task failingFetch() {
    Task t = newTask();
    steps.on(
        PaperDigest.FETCH_PAPERS,
        c -> {
          throw new TransientStepException("arXiv answered 503");
        });
    try {
      driver.invoke(t.taskId(), "r0", PaperDigest.FETCH_PAPERS);
    } catch (TransientStepException expected) {
      // retries exhausted: the execution fails at FetchPapers (not caught)
    }
    steps.reset();
    return t;
  }

  @Test
  void failed_marksTaskFailedWithTheStepsError() throws IOException {
    Task t = failingFetch();
    String failed =
        event(
            t.taskId(),
            0,
            "FAILED",
            0,
            "io.stepwise.steps.errors.TransientStepException",
            LAMBDA_CAUSE);

    assertThat(deliver(failed)).isTrue();
    Task after = task(t.taskId());
    assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(after.failedStep()).isEqualTo(PaperDigest.FETCH_PAPERS);
    assertThat(after.error().type()).isEqualTo("TransientStepException");
    assertThat(after.error().message()).isEqualTo("arXiv answered 503");
    assertThat(after.currentRun().orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void failedWithoutStepRecord_takesTheMessageFromTheLambdaCause() throws IOException {
    Task t = newTask();
    assertThat(deliver(event(t.taskId(), 0, "FAILED", 0, "Lambda.ServiceException", LAMBDA_CAUSE)))
        .isTrue();
    assertThat(task(t.taskId()).error().type()).isEqualTo("Lambda.ServiceException");
    assertThat(task(t.taskId()).error().message()).isEqualTo("arXiv answered 503");
  }

  @Test
  void consoleRedrive_runsAgainThenSucceeds() throws IOException {
    Task t = failingFetch();
    deliver(event(t.taskId(), 0, "RUNNING", 0, null, null));
    deliver(
        event(
            t.taskId(),
            0,
            "FAILED",
            0,
            "io.stepwise.steps.errors.TransientStepException",
            LAMBDA_CAUSE));

    assertThat(deliver(event(t.taskId(), 0, "RUNNING", 1, null, null))).isTrue();
    Task redriven = task(t.taskId());
    assertThat(redriven.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(redriven.error()).isNull();
    assertThat(redriven.failedStep()).isNull();
    assertThat(redriven.currentRun().orElseThrow().redriveCount()).isEqualTo(1);

    driver.runFrom(t.taskId(), "r0", PaperDigest.FETCH_PAPERS);
    assertThat(deliver(event(t.taskId(), 0, "SUCCEEDED", 1, null, null))).isTrue();
    assertThat(task(t.taskId()).status()).isEqualTo(TaskStatus.SUCCEEDED);
  }

  @Test
  void eventsInAnyOrder_endInTheLatestState() throws IOException {
    Task t = failingFetch();
    List<String> shuffled =
        List.of(
            event(t.taskId(), 0, "SUCCEEDED", 1, null, null),
            event(
                t.taskId(),
                0,
                "FAILED",
                0,
                "io.stepwise.steps.errors.TransientStepException",
                LAMBDA_CAUSE),
            event(t.taskId(), 0, "RUNNING", 1, null, null),
            event(t.taskId(), 0, "RUNNING", 0, null, null));
    for (String e : shuffled) {
      deliver(e);
    }
    Task after = task(t.taskId());
    assertThat(after.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(after.currentRun().orElseThrow().redriveCount()).isEqualTo(1);
  }

  @Test
  void repeatedEvent_changesNothingTheSecondTime() throws IOException {
    Task t = newTask();
    String succeeded = event(t.taskId(), 0, "SUCCEEDED", 0, null, null);
    assertThat(deliver(succeeded)).isTrue();
    long version = task(t.taskId()).version();

    assertThat(deliver(succeeded)).isFalse();
    assertThat(task(t.taskId()).version()).isEqualTo(version);
  }

  @Test
  void timedOut_isAFailure() throws IOException {
    Task t = newTask();
    assertThat(
            deliver(
                event(
                    t.taskId(),
                    0,
                    "TIMED_OUT",
                    0,
                    "States.Timeout",
                    "execution exceeded its timeout")))
        .isTrue();
    assertThat(task(t.taskId()).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task(t.taskId()).error().type()).isEqualTo("States.Timeout");
  }

  @Test
  void aborted_isCancelled_andALateRunningEventDoesNotReviveIt() throws IOException {
    Task t = newTask();
    assertThat(deliver(event(t.taskId(), 0, "ABORTED", 0, null, null))).isTrue();
    assertThat(deliver(event(t.taskId(), 0, "RUNNING", 0, null, null))).isFalse();
    assertThat(task(t.taskId()).status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void eventOfAReplacedRun_isIgnored() throws IOException {
    Task t = failingFetch();
    deliver(
        event(
            t.taskId(),
            0,
            "FAILED",
            0,
            "io.stepwise.steps.errors.TransientStepException",
            LAMBDA_CAUSE));
    tasks.retry(t.taskId(), null);

    assertThat(deliver(event(t.taskId(), 0, "RUNNING", 1, null, null))).isFalse();
    assertThat(deliver(event(t.taskId(), 0, "FAILED", 1, "States.Timeout", "late"))).isFalse();
    Task after = task(t.taskId());
    assertThat(after.currentRunId()).isEqualTo("r1");
    assertThat(after.status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void eventsForUnknownTasksOrOtherStateMachines_areIgnored() throws IOException {
    assertThat(deliver(event("no-such-task", 0, "FAILED", 0, "X", "y"))).isFalse();
    String foreign =
        event("ignored", 0, "FAILED", 0, "X", "y")
            .replace(
                "{\\\"taskId\\\":\\\"ignored\\\",\\\"runId\\\":\\\"r0\\\",\\\"startAt\\\":\\\"fetch_papers\\\"}",
                "{\\\"order\\\":1}")
            .replace("ignored--r0", "nightly-report");
    assertThat(deliver(foreign)).isFalse();
  }
}
