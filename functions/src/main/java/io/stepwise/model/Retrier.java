package io.stepwise.model;

import java.time.Duration;
import java.util.List;

/**
 * One entry of a Task state's {@code Retry} (ASL spec, "Retrying after an error"): the errors it matches, the
 * first interval, the most retries, the backoff rate and the cap on one delay. Step Functions tries the retriers in
 * order and uses the first that matches; {@code States.ALL} and {@code States.TaskFailed} match any error a step
 * body throws.
 */
public record Retrier(
    List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate, Long maxDelaySeconds,
    boolean delayFromError) {

  public Retrier {
    errorEquals = List.copyOf(errorEquals);
  }

  /** A {@code Retry} entry: the delay comes from its interval and backoff. */
  public Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate, Long maxDelaySeconds) {
    this(errorEquals, intervalSeconds, maxAttempts, backoffRate, maxDelaySeconds, false);
  }

  /**
   * A rate-limit wait route ({@code Catch} → count → {@code Wait} with {@code SecondsPath} → the step again): at
   * most {@code maxWaits} times, each as long as the error's message says (see {@code RateLimitedException}).
   */
  public static Retrier waitRoute(List<String> errorEquals, int maxWaits) {
    return new Retrier(errorEquals, 0, maxWaits, 1, null, true);
  }

  /** Whether this retrier takes the error a step body threw, named by its simple class name. */
  public boolean matches(String errorType) {
    return errorEquals.stream().anyMatch(e -> e.equals("States.ALL") || e.equals("States.TaskFailed")
        || e.equals(errorType) || e.endsWith("." + errorType));
  }

  /**
   * The longest wait before retry number {@code retry} (1 for the first): interval × rate^(retry-1), no more than
   * {@code MaxDelaySeconds}. With {@code JitterStrategy: FULL} the real wait is anywhere from zero to this.
   */
  public Duration delayBefore(int retry) {
    double seconds = intervalSeconds * Math.pow(backoffRate, retry - 1);
    if (maxDelaySeconds != null) {
      seconds = Math.min(seconds, maxDelaySeconds);
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
