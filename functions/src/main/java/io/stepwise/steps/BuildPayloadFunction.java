package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;

/** Lambda handler of the {@code build_payload} step. */
public class BuildPayloadFunction extends StepFunction {

  public BuildPayloadFunction() {
    super(StepName.BUILD_PAYLOAD);
  }

  public BuildPayloadFunction(ApplicationContext context) {
    super(context, StepName.BUILD_PAYLOAD);
  }
}
