package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.logging.LogContext;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;

/**
 * Shared handler of every step function: run this pipeline step's body through the step runtime.
 */
public abstract class StepFunction extends JsonFunction<StepInvocation, StepSummary> {

  private final StepRuntime runtime;
  private final Pipeline pipeline;
  private final Step step;
  private final StepBody body;

  protected StepFunction(String pipeline, String step) {
    super(StepInvocation.class);
    this.runtime = bean(StepRuntime.class);
    this.pipeline = bean(Pipelines.class).get(pipeline);
    this.step = this.pipeline.require(step);
    this.body = bean(StepBodies.class).body(this.pipeline, this.step);
  }

  protected StepFunction(ApplicationContext context, String pipeline, String step) {
    super(context, StepInvocation.class);
    this.runtime = bean(StepRuntime.class);
    this.pipeline = context.getBean(Pipelines.class).get(pipeline);
    this.step = this.pipeline.require(step);
    this.body = bean(StepBodies.class).body(this.pipeline, this.step);
  }

  @Override
  public StepSummary handle(StepInvocation input) {
    try (LogContext fields =
        LogContext.step(
            input.taskId(), input.runId(), pipeline.name(), step.name(), input.executionArn())) {
      return runtime.run(input, pipeline, step, body);
    }
  }
}
