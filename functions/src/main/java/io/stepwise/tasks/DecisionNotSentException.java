package io.stepwise.tasks;

import io.stepwise.workflow.WorkflowUnavailableException;

/**
 * Step Functions could not be told a review's decision: nothing changed, the task still awaits
 * review (503; try again).
 */
public class DecisionNotSentException extends WorkflowUnavailableException {

  public DecisionNotSentException(Throwable cause) {
    super(
        "the workflow service is unavailable; the decision was not sent and the task still awaits"
            + " review: try again",
        cause);
  }
}
