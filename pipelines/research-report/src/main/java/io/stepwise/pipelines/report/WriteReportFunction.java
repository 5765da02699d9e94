package io.stepwise.pipelines.report;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the research report's {@code write_report} step. */
public class WriteReportFunction extends StepFunction {

  public WriteReportFunction() {
    super(ResearchReport.NAME, ResearchReport.WRITE_REPORT);
  }

  public WriteReportFunction(ApplicationContext context) {
    super(context, ResearchReport.NAME, ResearchReport.WRITE_REPORT);
  }
}
