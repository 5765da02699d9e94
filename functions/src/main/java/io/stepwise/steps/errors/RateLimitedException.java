package io.stepwise.steps.errors;

import java.time.Duration;
import java.util.Optional;

/** An HTTP 429 from a provider; retried by the state machine with longer intervals. */
public final class RateLimitedException extends StepException {

  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message, null);
    this.retryAfter = retryAfter;
  }

  /** The provider's Retry-After, when it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
