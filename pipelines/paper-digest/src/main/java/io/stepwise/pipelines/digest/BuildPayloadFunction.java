package io.stepwise.pipelines.digest;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the paper digest's {@code build_payload} step. */
public class BuildPayloadFunction extends StepFunction {

  public BuildPayloadFunction() {
    super(PaperDigest.NAME, PaperDigest.BUILD_PAYLOAD);
  }

  public BuildPayloadFunction(ApplicationContext context) {
    super(context, PaperDigest.NAME, PaperDigest.BUILD_PAYLOAD);
  }
}
