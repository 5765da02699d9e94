package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;

/** Lambda handler of the {@code publish} step. */
public class PublishFunction extends StepFunction {

  public PublishFunction() {
    super(StepName.PUBLISH);
  }

  public PublishFunction(ApplicationContext context) {
    super(context, StepName.PUBLISH);
  }
}
