package io.stepwise.api;

import static io.stepwise.testing.TaskFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Pipelines;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.testing.RulesTestPipeline;
import io.stepwise.testing.TaskFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Honest step statuses (docs/api.md): a failed attempt the state machine will retry reads {@code
 * retrying} with the next attempt's number and the latest time it starts, computed from the
 * pipeline's own ASL Retry; a step in flight when its task was cancelled reads {@code cancelled}.
 * The rules-test ASL retries TransientStepException 3 times, 30 s apart with backoff 2 (so 30 s, 60
 * s, 120 s), and never TerminalStepException.
 */
class StepStatusViewTest {

  private final TaskViews views =
      new TaskViews(TaskFixtures.CLOCK, Pipelines.of(List.of(new RulesTestPipeline())), 1);

  private static StepState failedAttempt(int attempt, String type) {
    return new StepState(
        StepStatus.FAILED,
        "r0",
        attempt,
        attempt,
        NOW.minusSeconds(2),
        NOW.minusSeconds(1),
        1000L,
        null,
        new TaskError(RulesTestPipeline.GATHER, type, "boom"),
        null);
  }

  private TaskView.StepView gather(TaskStatus taskStatus, StepState state) {
    Task task =
        TaskFixtures.task(
                "t-1",
                taskStatus,
                TaskFixtures.run("t-1", 0, RulesTestPipeline.GATHER, taskStatus, 0, 0))
            .steps(Map.of(RulesTestPipeline.GATHER, state))
            .build();
    return views.view(task).steps().get(0);
  }

  @Test
  void aTransientFailureWhileTheExecutionRuns_isRetrying_withTheNextAttemptAndItsLatestStart() {
    TaskView.StepView first =
        gather(TaskStatus.RUNNING, failedAttempt(1, "TransientStepException"));
    assertThat(first.status()).isEqualTo("retrying");
    assertThat(first.attempt()).isEqualTo(2);
    assertThat(first.nextAttemptAt())
        .isEqualTo(NOW.minusSeconds(1).plusSeconds(30).toString().replace("Z", ".000Z"));

    TaskView.StepView third =
        gather(TaskStatus.RUNNING, failedAttempt(3, "TransientStepException"));
    assertThat(third.status()).isEqualTo("retrying");
    assertThat(third.attempt()).isEqualTo(4);
    assertThat(third.nextAttemptAt())
        .isEqualTo(
            NOW.minusSeconds(1).plus(Duration.ofSeconds(120)).toString().replace("Z", ".000Z"));
  }

  @Test
  void spentRetries_aTerminalError_orAFailedTask_readFailed() {
    assertThat(gather(TaskStatus.RUNNING, failedAttempt(4, "TransientStepException")).status())
        .isEqualTo("failed");
    assertThat(gather(TaskStatus.RUNNING, failedAttempt(1, "TerminalStepException")).status())
        .isEqualTo("failed");
    TaskView.StepView done = gather(TaskStatus.FAILED, failedAttempt(1, "TransientStepException"));
    assertThat(done.status()).isEqualTo("failed");
    assertThat(done.attempt()).isNull();
    assertThat(done.nextAttemptAt()).isNull();
  }

  @Test
  void aStepInFlightWhenItsTaskWasCancelled_readsCancelled() {
    assertThat(gather(TaskStatus.CANCELLED, TaskFixtures.running("r0")).status())
        .isEqualTo("cancelled");
    assertThat(gather(TaskStatus.CANCELLED, failedAttempt(1, "TransientStepException")).status())
        .isEqualTo("cancelled");
    assertThat(gather(TaskStatus.CANCELLED, TaskFixtures.succeeded("r0")).status())
        .isEqualTo("succeeded");
    assertThat(gather(TaskStatus.RUNNING, TaskFixtures.running("r0")).status())
        .isEqualTo("running");
  }

  @Test
  void theLocalTimeScale_shortensTheWait() {
    TaskViews scaled =
        new TaskViews(TaskFixtures.CLOCK, Pipelines.of(List.of(new RulesTestPipeline())), 0.01);
    Task task =
        TaskFixtures.task(
                "t-1",
                TaskStatus.RUNNING,
                TaskFixtures.run("t-1", 0, RulesTestPipeline.GATHER, TaskStatus.RUNNING, 0, 0))
            .steps(Map.of(RulesTestPipeline.GATHER, failedAttempt(1, "TransientStepException")))
            .build();
    assertThat(scaled.view(task).steps().get(0).nextAttemptAt())
        .isEqualTo(NOW.minusSeconds(1).plusMillis(300).toString());
  }
}
