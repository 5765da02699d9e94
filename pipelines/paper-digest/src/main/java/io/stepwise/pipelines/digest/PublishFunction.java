package io.stepwise.pipelines.digest;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the paper digest's {@code publish} step. */
public class PublishFunction extends StepFunction {

  public PublishFunction() {
    super(PaperDigest.NAME, PaperDigest.PUBLISH);
  }

  public PublishFunction(ApplicationContext context) {
    super(context, PaperDigest.NAME, PaperDigest.PUBLISH);
  }
}
