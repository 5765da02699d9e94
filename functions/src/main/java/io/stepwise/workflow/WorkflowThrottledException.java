package io.stepwise.workflow;

/**
 * Step Functions refused a call because this account is over its API rate (StartExecution's bucket
 * is small: a burst of ~100, then a few per second). Worth retrying after a pause, unlike other
 * unavailability.
 */
public class WorkflowThrottledException extends WorkflowUnavailableException {

  public WorkflowThrottledException(String message, Throwable cause) {
    super(message, cause);
  }
}
