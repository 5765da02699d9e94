package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;
import io.stepwise.functions.JsonFunction;

/** Shared handler of the five step functions: run this step's body through the step runtime. */
public abstract class StepFunction extends JsonFunction<StepInvocation, StepSummary> {

  private final StepRuntime runtime;
  private final StepBody body;

  protected StepFunction(StepName step) {
    super(StepInvocation.class);
    this.runtime = bean(StepRuntime.class);
    this.body = bean(StepBodies.class).body(step);
  }

  protected StepFunction(ApplicationContext context, StepName step) {
    super(context, StepInvocation.class);
    this.runtime = bean(StepRuntime.class);
    this.body = bean(StepBodies.class).body(step);
  }

  @Override
  public StepSummary handle(StepInvocation input) {
    return runtime.run(input, body);
  }
}
