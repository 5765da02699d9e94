package io.stepwise.pipelines.report;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the research report's {@code gather} step. */
public class GatherFunction extends StepFunction {

  public GatherFunction() {
    super(ResearchReport.NAME, ResearchReport.GATHER);
  }

  public GatherFunction(ApplicationContext context) {
    super(context, ResearchReport.NAME, ResearchReport.GATHER);
  }
}
