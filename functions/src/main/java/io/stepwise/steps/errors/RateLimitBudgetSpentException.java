package io.stepwise.steps.errors;

/**
 * A rate limit after the step has used its rate-limit waits in this execution. No Retry or Catch
 * takes it, so the execution fails at the step's own state, as exhausted retries do: a console
 * redrive runs the step again.
 */
public final class RateLimitBudgetSpentException extends StepException {

  public RateLimitBudgetSpentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
