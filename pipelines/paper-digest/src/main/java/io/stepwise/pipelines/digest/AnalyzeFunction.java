package io.stepwise.pipelines.digest;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the paper digest's {@code analyze} step. */
public class AnalyzeFunction extends StepFunction {

  public AnalyzeFunction() {
    super(PaperDigest.NAME, PaperDigest.ANALYZE);
  }

  public AnalyzeFunction(ApplicationContext context) {
    super(context, PaperDigest.NAME, PaperDigest.ANALYZE);
  }
}
