package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;

/** Lambda handler of the {@code fetch_papers} step. */
public class FetchPapersFunction extends StepFunction {

  public FetchPapersFunction() {
    super(StepName.FETCH_PAPERS);
  }

  public FetchPapersFunction(ApplicationContext context) {
    super(context, StepName.FETCH_PAPERS);
  }
}
