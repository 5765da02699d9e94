package io.stepwise.pipelines.report;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the research report's {@code plan} step. */
public class PlanFunction extends StepFunction {

  public PlanFunction() {
    super(ResearchReport.NAME, ResearchReport.PLAN);
  }

  public PlanFunction(ApplicationContext context) {
    super(context, ResearchReport.NAME, ResearchReport.PLAN);
  }
}
