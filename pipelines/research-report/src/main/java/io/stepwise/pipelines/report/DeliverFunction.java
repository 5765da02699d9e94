package io.stepwise.pipelines.report;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the research report's {@code deliver} step. */
public class DeliverFunction extends StepFunction {

  public DeliverFunction() {
    super(ResearchReport.NAME, ResearchReport.DELIVER);
  }

  public DeliverFunction(ApplicationContext context) {
    super(context, ResearchReport.NAME, ResearchReport.DELIVER);
  }
}
