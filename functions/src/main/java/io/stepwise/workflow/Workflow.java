package io.stepwise.workflow;

import java.util.Optional;

/** Starts and stops executions of the pipelines' state machines. */
public interface Workflow {

  /**
   * The ARN an execution of the pipeline with this name has (deterministic, so it can be stored
   * before the start).
   */
  String executionArn(String pipeline, String executionName);

  /**
   * Starts an execution of the pipeline's state machine. Safe to repeat: Step Functions returns the
   * same execution for the same name and input while it runs. Throws {@link
   * WorkflowUnavailableException} when Step Functions refuses or fails, {@link
   * WorkflowThrottledException} when it refused because of its rate limit.
   */
  void start(String pipeline, String executionName, ExecutionInput input);

  /**
   * Stops a running execution; an execution that has already ended or never started is left alone.
   */
  void stop(String executionArn, String cause);

  /**
   * The execution's current state; empty when no such execution exists (it was never started).
   * Throws {@link WorkflowUnavailableException} when Step Functions cannot say.
   */
  Optional<ExecutionState> describe(String executionArn);

  /**
   * Answers a waiting task token with success: the state that waits goes on with {@code
   * outputJson}. Throws {@link TaskTokenGoneException} when the token waits no more, {@link
   * WorkflowUnavailableException} when Step Functions cannot be reached.
   */
  void sendTaskSuccess(String token, String outputJson);

  /** Answers a waiting task token with an error, as {@link #sendTaskSuccess}. */
  void sendTaskFailure(String token, String error, String cause);
}
