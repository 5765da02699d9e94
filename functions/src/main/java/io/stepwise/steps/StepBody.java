package io.stepwise.steps;

/**
 * The work of one pipeline step. It gets the task input and the earlier steps' outputs through the
 * {@link StepContext} and returns its own output (any {@code @Serdeable} value), which becomes its checkpoint.
 * It throws only {@link io.stepwise.steps.errors.StepException}s; anything else is classified by the runtime.
 */
public interface StepBody {

  StepName step();

  Object run(StepContext context);
}
