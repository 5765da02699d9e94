package io.stepwise.pipelines.digest;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the paper digest's {@code fetch_papers} step. */
public class FetchPapersFunction extends StepFunction {

  public FetchPapersFunction() {
    super(PaperDigest.NAME, PaperDigest.FETCH_PAPERS);
  }

  public FetchPapersFunction(ApplicationContext context) {
    super(context, PaperDigest.NAME, PaperDigest.FETCH_PAPERS);
  }
}
