package io.stepwise.steps.errors;

/**
 * Retrying cannot help: invalid input, a 4xx other than 429, content rejected, a needed checkpoint
 * missing. The state machine catches it and records the task as failed; a user retries after fixing
 * the cause.
 */
public final class TerminalStepException extends StepException {

  public TerminalStepException(String message) {
    this(message, null);
  }

  public TerminalStepException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
