package io.stepwise.steps.errors;

/**
 * The model stopped abnormally ({@code finish_reason} length, unknown or missing): retried quickly.
 */
public final class ModelOutputIncompleteException extends StepException {

  private final String finishReason;

  public ModelOutputIncompleteException(String message, String finishReason) {
    super(message, null);
    this.finishReason = finishReason;
  }

  public String finishReason() {
    return finishReason;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
