package io.stepwise.model;

import java.util.List;

/**
 * What a pipeline declares, once, found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services} entry in the pipeline's module) so that the functions, the local runtime, the
 * infra app and the tests all read the same list without starting a context. The steps, in order,
 * and their functions are the whole workflow: the core generates the pipeline's ASL from them
 * ({@code io.stepwise.workflow.AslGenerator}), with each step's retry policy from configuration
 * ({@link RetryPolicy}). See docs/pipelines.md, "Writing a pipeline".
 */
public interface PipelineDefinition {

  /** The pipeline's name as tasks and the API use it, e.g. {@code paper-digest}. */
  String name();

  /**
   * Where the generated ASL is committed, relative to the repository root (e.g. {@code
   * statemachine.asl.json}): for readers, the AWS console and the ASL validator; a test fails when
   * it differs from what this generates.
   */
  String aslFile();

  /** One function per step, in the order the steps run. */
  List<StepHandler> functions();

  /**
   * How the dashboard shows a succeeded task's result ({@code GET /api/pipelines} serves it):
   * {@code posts}, {@code report}, or {@code json}, the result as JSON, for a pipeline with no view
   * of its own.
   */
  default String resultKind() {
    return "json";
  }

  /**
   * The step whose output a person may review before the next step runs, e.g. the posts before they
   * are published; empty when the pipeline has no review. The core places its review step ({@link
   * Step#REVIEW}) right after it; each task decides with its {@code review} input field (default
   * {@code stepwise.pipelines.<name>.review}, off), and a task without review skips it.
   */
  default java.util.Optional<String> reviewAfter() {
    return java.util.Optional.empty();
  }

  /**
   * What is wrong with {@code output} as a new output of {@code step} (an edit a person made), one
   * sentence per violated rule; empty when it may be stored. The default accepts any JSON object.
   */
  default List<String> outputViolations(String step, io.micronaut.json.tree.JsonNode output) {
    return output.isObject()
        ? List.of()
        : List.of("the output of " + step + " must be a JSON object");
  }

  /**
   * The label people read for a step ({@code fetch_papers}: "Fetch papers"); override for a better
   * one.
   */
  default String stepLabel(String step) {
    return Step.label(step);
  }

  /**
   * One step and the function that runs it: the step's wire name ({@code write_report}; its Task
   * state is {@code WriteReport}), the deployed function's name, its handler class (a no-argument
   * constructor, the Lambda entry point), memory, whether the step calls model providers (it then
   * gets their API keys and the model health items) and the Task state's {@code TimeoutSeconds}.
   */
  record StepHandler(
      String step,
      String functionName,
      Class<?> handler,
      int memoryMb,
      boolean usesModels,
      int timeoutSeconds) {

    /** A step with the default timeout of 300 s. */
    public StepHandler(
        String step, String functionName, Class<?> handler, int memoryMb, boolean usesModels) {
      this(step, functionName, handler, memoryMb, usesModels, 300);
    }

    public StepHandler {
      if (!step.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*")) {
        throw new IllegalArgumentException(
            "a step's wire name is snake_case, e.g. write_report: " + step);
      }
      if (timeoutSeconds < 1 || timeoutSeconds > 900) {
        throw new IllegalArgumentException(
            "step "
                + step
                + ": timeoutSeconds must be from 1 to 900 (a Lambda function runs 15 minutes at most)");
      }
    }

    /** The Task state's name: {@code write_report} → {@code WriteReport}. */
    public String state() {
      return Step.stateName(step);
    }
  }
}
