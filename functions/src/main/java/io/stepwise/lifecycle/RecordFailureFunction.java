package io.stepwise.lifecycle;

import io.micronaut.context.ApplicationContext;
import io.stepwise.lambda.JsonFunction;

/** Catch target of the state machine: records a step's terminal error on the task. Idempotent. */
public class RecordFailureFunction extends JsonFunction<FailureReport, HandlerResult> {

  private final TaskLifecycle lifecycle;
  private final LambdaErrors errors;

  public RecordFailureFunction() {
    super(FailureReport.class);
    this.lifecycle = bean(TaskLifecycle.class);
    this.errors = bean(LambdaErrors.class);
  }

  public RecordFailureFunction(ApplicationContext context) {
    super(context, FailureReport.class);
    this.lifecycle = bean(TaskLifecycle.class);
    this.errors = bean(LambdaErrors.class);
  }

  @Override
  public HandlerResult handle(FailureReport report) {
    int redrives = report.redriveCount() == null ? 0 : report.redriveCount();
    return new HandlerResult(
        lifecycle.recordFailure(
            report.taskId(),
            report.runId(),
            redrives,
            errors.read(report.error(), report.cause())));
  }
}
