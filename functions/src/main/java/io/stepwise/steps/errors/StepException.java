package io.stepwise.steps.errors;

/**
 * The only exceptions a step throws. Step Functions matches them by their fully qualified class
 * name (the Lambda {@code errorType}), so each concrete class is final: a subclass would surface
 * under a name that no Retry or Catch of the generated ASL knows.
 */
public abstract sealed class StepException extends RuntimeException
    permits TransientStepException,
        RateLimitedException,
        RateLimitBudgetSpentException,
        ModelOutputIncompleteException,
        TerminalStepException {

  protected StepException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the state machine retries this error (true) or catches it and fails the task (false).
   */
  public abstract boolean retryable();

  /** Short name recorded on checkpoints and shown by the API (the simple class name). */
  public String type() {
    return getClass().getSimpleName();
  }
}
