package io.stepwise.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Catch target: a step's terminal error becomes the task's failure, once, and only for the
 * current run.
 */
@MicronautTest(environments = {"test", "scripted"})
class RecordFailureIT extends DigestServicesBase {

  private static final String ERROR = "io.stepwise.steps.errors.TerminalStepException";
  private static final String CAUSE =
      "{\"errorMessage\":\"title is longer than 20 characters\",\"errorType\":\""
          + ERROR
          + "\",\"stackTrace\":[]}";

  @Inject TaskService tasks;
  RecordFailureFunction function;
  StepDriver driver;

  @BeforeAll
  void setUp() {
    function = new RecordFailureFunction(context);
    driver = new StepDriver(context);
  }

  private Task failingAtAnalyze() {
    Task t =
        tasks.create(
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
    driver.invoke(t.taskId(), "r0", PaperDigest.FETCH_PAPERS);
    steps.on(
        PaperDigest.ANALYZE,
        c -> {
          throw new TerminalStepException("title is longer than 20 characters");
        });
    assertThatThrownBy(() -> driver.invoke(t.taskId(), "r0", PaperDigest.ANALYZE))
        .isInstanceOf(TerminalStepException.class);
    return t;
  }

  @Test
  void terminalError_failsTheTaskAtTheStep() {
    Task t = failingAtAnalyze();

    assertThat(
            function.handle(new FailureReport(t.taskId(), "r0", 0, "arn", ERROR, CAUSE)).changed())
        .isTrue();
    Task failed = tasks.get(t.taskId()).task();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.failedStep()).isEqualTo(PaperDigest.ANALYZE);
    assertThat(failed.error().type()).isEqualTo("TerminalStepException");
    assertThat(failed.error().message()).isEqualTo("title is longer than 20 characters");
  }

  @Test
  void repeatedReport_isRecordedOnce() {
    Task t = failingAtAnalyze();
    FailureReport report = new FailureReport(t.taskId(), "r0", 0, "arn", ERROR, CAUSE);
    function.handle(report);
    long version = tasks.get(t.taskId()).task().version();

    assertThat(function.handle(report).changed()).isFalse();
    assertThat(tasks.get(t.taskId()).task().version()).isEqualTo(version);
  }

  @Test
  void reportOfAReplacedRun_isIgnored() {
    Task t = failingAtAnalyze();
    function.handle(new FailureReport(t.taskId(), "r0", 0, "arn", ERROR, CAUSE));
    tasks.retry(t.taskId(), PaperDigest.ANALYZE);

    assertThat(
            function.handle(new FailureReport(t.taskId(), "r0", 0, "arn", ERROR, CAUSE)).changed())
        .isFalse();
    assertThat(tasks.get(t.taskId()).task().status()).isEqualTo(TaskStatus.RUNNING);
  }
}
