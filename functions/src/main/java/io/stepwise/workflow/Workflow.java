package io.stepwise.workflow;

/** Starts and stops executions of the Stepwise state machine. */
public interface Workflow {

  /** The ARN an execution with this name has (deterministic, so it can be stored before the start). */
  String executionArn(String executionName);

  /**
   * Starts an execution. Safe to repeat: Step Functions returns the same execution for the same name and
   * input while it runs. Throws {@link WorkflowUnavailableException} when Step Functions refuses or fails,
   * {@link WorkflowThrottledException} when it refused because of its rate limit.
   */
  void start(String executionName, ExecutionInput input);

  /** Stops a running execution; an execution that has already ended or never started is left alone. */
  void stop(String executionArn, String cause);
}
