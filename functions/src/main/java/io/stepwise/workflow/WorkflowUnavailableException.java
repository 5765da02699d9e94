package io.stepwise.workflow;

/** Step Functions could not start or stop an execution (throttled, unavailable, misconfigured). */
public class WorkflowUnavailableException extends RuntimeException {

  public WorkflowUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
