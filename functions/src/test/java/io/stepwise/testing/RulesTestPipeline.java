package io.stepwise.testing;

import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import java.util.List;

/**
 * A three-step pipeline for the lifecycle rule tests, {@code gather → summarise → write_report},
 * its workflow generated like every pipeline's but never committed (no file: it is never deployed).
 * Not registered with the ServiceLoader: tests pass it to {@link Pipelines#of} themselves, so
 * {@link Pipelines#installed()} stays what the jar deploys.
 */
public final class RulesTestPipeline implements PipelineDefinition {

  public static final String NAME = "rules-test";

  /** Not committed: this pipeline is never deployed. */
  public static final String ASL = "(rules-test is not deployed)";

  public static final String GATHER = "gather";
  public static final String SUMMARISE = "summarise";
  public static final String WRITE_REPORT = "write_report";

  /** The rules-test pipeline alone, as the services under test see it. */
  public static Pipelines pipelines() {
    return Pipelines.of(List.of(new RulesTestPipeline()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslFile() {
    return ASL;
  }

  @Override
  public List<StepHandler> functions() {
    // The handler is never invoked by these tests; any class with a no-argument constructor will
    // do.
    return List.of(
        new StepHandler(GATHER, "rules-gather", Object.class, 512, false),
        new StepHandler(SUMMARISE, "rules-summarise", Object.class, 512, false),
        new StepHandler(WRITE_REPORT, "rules-write-report", Object.class, 512, false));
  }
}
