package io.stepwise.steps.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP 429 from a provider, or every model cooling down after one. The state machine catches it
 * and waits as long as the provider asked before it runs the step again (a Wait state, counted and
 * bounded), so a rate limit never spends the transient retries. The wait travels in the message,
 * the one part of a Lambda error Step Functions passes on as text: {@code "… (retry after 40 s)"},
 * read by the ASL and by {@code Pipeline.retryDelay}.
 */
public final class RateLimitedException extends StepException {

  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(
        message + (retryAfter == null ? "" : " (retry after " + wholeSeconds(retryAfter) + " s)"),
        null);
    this.retryAfter = retryAfter;
  }

  /** The provider's Retry-After, when it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Rounded up, and at least 1: a wait of zero seconds would come back before the provider is
   * ready.
   */
  private static long wholeSeconds(Duration d) {
    long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, s);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
