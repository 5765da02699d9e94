package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;

/** Lambda handler of the {@code analyze} step. */
public class AnalyzeFunction extends StepFunction {

  public AnalyzeFunction() {
    super(StepName.ANALYZE);
  }

  public AnalyzeFunction(ApplicationContext context) {
    super(context, StepName.ANALYZE);
  }
}
