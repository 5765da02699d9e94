package io.stepwise.lifecycle;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.stepwise.batches.BatchPacer;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.model.TaskStatus;
import io.stepwise.workflow.ExecutionInput;
import io.stepwise.workflow.ExecutionNames;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge target for "Step Functions Execution Status Change": keeps the task's status in step
 * with its execution, including a console redrive (FAILED → RUNNING → SUCCEEDED), and when a
 * batch's task ends, starts the batch's next pending task. Idempotent and order-tolerant.
 */
public class ExecutionEventsFunction extends JsonFunction<ExecutionStatusChange, HandlerResult> {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionEventsFunction.class);

  private final TaskLifecycle lifecycle;
  private final LambdaErrors errors;
  private final JsonMapper json;
  private final BatchPacer pacer;

  public ExecutionEventsFunction() {
    super(ExecutionStatusChange.class);
    this.lifecycle = bean(TaskLifecycle.class);
    this.errors = bean(LambdaErrors.class);
    this.json = bean(JsonMapper.class);
    this.pacer = bean(BatchPacer.class);
  }

  public ExecutionEventsFunction(ApplicationContext context) {
    super(context, ExecutionStatusChange.class);
    this.lifecycle = bean(TaskLifecycle.class);
    this.errors = bean(LambdaErrors.class);
    this.json = bean(JsonMapper.class);
    this.pacer = bean(BatchPacer.class);
  }

  @Override
  public HandlerResult handle(ExecutionStatusChange event) {
    ExecutionStatusChange.Detail detail = event.detail();
    Optional<ExecutionInput> input = detail == null ? Optional.empty() : input(detail);
    if (input.isEmpty()) {
      LOG.warn(
          "ignoring event that is not about a Stepwise execution: {}",
          detail == null ? null : detail.executionArn());
      return new HandlerResult(false);
    }
    ExecutionOutcome outcome = ExecutionOutcome.parse(detail.status());
    ExecutionError error =
        outcome.taskStatus() == TaskStatus.FAILED
            ? errors.read(detail.error(), detail.cause())
            : null;
    int redrives = detail.redriveCount() == null ? 0 : detail.redriveCount();
    boolean changed =
        lifecycle.onExecutionStatus(
            input.get().taskId(), input.get().runId(), outcome, redrives, error);
    if (outcome.taskStatus() != TaskStatus.RUNNING) {
      // A batch task that ended frees its run slot: the batch's next pending task starts. Also on
      // a repeated event (nothing changed), in case the first delivery ended before this point.
      pacer.afterChange(input.get().taskId());
    }
    return new HandlerResult(changed);
  }

  /**
   * Which task and run: from the execution input; failing that, from the execution name ({@code
   * <taskId>--r<n>}, run id {@code r<n>}), since AWS omits an input larger than its event limit.
   */
  private Optional<ExecutionInput> input(ExecutionStatusChange.Detail detail) {
    if (detail.input() != null) {
      try {
        ExecutionInput in = json.readValue(detail.input(), ExecutionInput.class);
        if (in.taskId() != null && in.runId() != null) {
          return Optional.of(in);
        }
      } catch (IOException notOurs) {
        // fall back to the name
      }
    }
    return ExecutionNames.parse(detail.name());
  }
}
