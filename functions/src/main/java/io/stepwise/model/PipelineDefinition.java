package io.stepwise.model;

import java.util.List;

/**
 * What a pipeline declares, found with {@link java.util.ServiceLoader} (a {@code META-INF/services} entry in
 * the pipeline's package) so that the functions, the local runtime, the infra app and the tests all read the
 * same list without starting a context. The steps and their order come from the ASL; this names, for each
 * step, the Lambda function that runs it.
 */
public interface PipelineDefinition {

  /** The pipeline's name as tasks and the API use it, e.g. {@code paper-digest}. */
  String name();

  /** The classpath resource of the pipeline's ASL, e.g. {@code statemachine.asl.json}. */
  String aslResource();

  /** One function per step, in any order; every Task state of the ASL's step chain must have one. */
  List<StepHandler> functions();

  /**
   * How the dashboard shows a succeeded task's result ({@code GET /api/pipelines} serves it): {@code posts},
   * {@code report}, or {@code json}, the result as JSON, for a pipeline with no view of its own.
   */
  default String resultKind() {
    return "json";
  }

  /** The label people read for a step ({@code fetch_papers}: "Fetch papers"); override for a better one. */
  default String stepLabel(String step) {
    return Step.label(step);
  }

  /**
   * The function that runs one step: its deployed name, handler class (a no-argument constructor, the Lambda
   * entry point) and memory. {@code step} is the wire name; {@code usesModels} says whether the step calls model
   * providers (it then gets their API keys and the model health items).
   */
  record StepHandler(String step, String functionName, Class<?> handler, int memoryMb, boolean usesModels) {}
}
