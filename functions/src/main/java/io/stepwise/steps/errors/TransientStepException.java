package io.stepwise.steps.errors;

/** Timeouts, connection errors, 5xx answers, throttled AWS calls: worth retrying with backoff. */
public final class TransientStepException extends StepException {

  public TransientStepException(String message) {
    this(message, null);
  }

  public TransientStepException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
