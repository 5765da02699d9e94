package io.stepwise.pipelines.report;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the research report's {@code write_sections} step. */
public class WriteSectionsFunction extends StepFunction {

  public WriteSectionsFunction() {
    super(ResearchReport.NAME, ResearchReport.WRITE_SECTIONS);
  }

  public WriteSectionsFunction(ApplicationContext context) {
    super(context, ResearchReport.NAME, ResearchReport.WRITE_SECTIONS);
  }
}
