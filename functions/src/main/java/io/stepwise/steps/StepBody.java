package io.stepwise.steps;

/**
 * The work of one pipeline step, a bean {@code @Named("<pipeline>/<step>")} (see {@link
 * StepBodies}). It gets the task input and the earlier steps' outputs through the {@link
 * StepContext} and returns its own output (any {@code @Serdeable} value), which becomes its
 * checkpoint. It throws only {@link io.stepwise.steps.errors.StepException}s; anything else is
 * classified by the runtime.
 */
public interface StepBody {

  Object run(StepContext context);

  /** The bean name of the body of a pipeline's step. */
  static String beanName(String pipeline, String step) {
    return pipeline + "/" + step;
  }
}
