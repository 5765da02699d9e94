package io.stepwise.steps;

import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns whatever a step raised into one of the error types the state machine knows. Connection
 * trouble, timeouts and AWS 5xx/throttling are transient; other AWS 4xx and programming errors are
 * terminal, because retrying the same code on the same input would fail the same way.
 */
public final class ErrorClassifier {

  private ErrorClassifier() {}

  public static StepException classify(Throwable error) {
    if (error instanceof StepException known) {
      return known;
    }
    if (error instanceof SdkServiceException aws) {
      boolean retryable = aws.isThrottlingException() || aws.statusCode() >= 500 || aws.retryable();
      String message = "AWS call failed with HTTP " + aws.statusCode() + ": " + aws.getMessage();
      return retryable
          ? new TransientStepException(message, aws)
          : new TerminalStepException(message, aws);
    }
    if (error instanceof SdkClientException
        || error instanceof IOException
        || error instanceof UncheckedIOException
        || error instanceof HttpTimeoutException
        || error instanceof TimeoutException) {
      return new TransientStepException(
          error.getClass().getSimpleName() + ": " + error.getMessage(), error);
    }
    return new TerminalStepException(
        "unexpected " + error.getClass().getSimpleName() + ": " + error.getMessage(), error);
  }
}
