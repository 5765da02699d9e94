package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a Task state's {@code Retry} (ASL spec, "Retrying after an error"): the errors it
 * matches, the first interval, the most retries, the backoff rate, the cap on one delay and the
 * jitter. Step Functions tries the retriers in order and uses the first that matches; {@code
 * States.ALL} and {@code States.TaskFailed} match any error a step body throws. {@link #forStep} is
 * the one list every step's Task state carries (the generated ASL writes it; the API reads it to
 * say when a failed attempt will be tried again).
 */
public record Retrier(
    List<String> errorEquals,
    double intervalSeconds,
    int maxAttempts,
    double backoffRate,
    @Nullable Long maxDelaySeconds,
    @Nullable RetryPolicy.Jitter jitter,
    boolean delayFromError) {

  /**
   * The error names a step throws (the exceptions of {@code io.stepwise.steps.errors}, which the
   * core cannot import).
   */
  public static final String ERRORS = "io.stepwise.steps.errors.";

  public static final String TRANSIENT = ERRORS + "TransientStepException";
  public static final String MODEL_OUTPUT_INCOMPLETE = ERRORS + "ModelOutputIncompleteException";
  public static final String RATE_LIMITED = ERRORS + "RateLimitedException";
  public static final String TERMINAL = ERRORS + "TerminalStepException";

  /** The Lambda service's own errors: always retried, whatever a pipeline's policy says. */
  public static final List<String> LAMBDA_SERVICE_ERRORS =
      List.of(
          "Lambda.ServiceException",
          "Lambda.AWSLambdaException",
          "Lambda.SdkClientException",
          "Lambda.TooManyRequestsException");

  public Retrier {
    errorEquals = List.copyOf(errorEquals);
  }

  /** A {@code Retry} entry: the delay comes from its interval and backoff. */
  public Retrier(
      List<String> errorEquals,
      double intervalSeconds,
      int maxAttempts,
      double backoffRate,
      Long maxDelaySeconds) {
    this(errorEquals, intervalSeconds, maxAttempts, backoffRate, maxDelaySeconds, null, false);
  }

  /**
   * A rate-limit wait route ({@code Catch} → count → {@code Wait} with {@code SecondsPath} → the
   * step again): at most {@code maxWaits} times, each as long as the error's message says (see
   * {@code RateLimitedException}).
   */
  public static Retrier waitRoute(List<String> errorEquals, int maxWaits) {
    return new Retrier(errorEquals, 0, maxWaits, 1, null, null, true);
  }

  /**
   * A step's {@code Retry} list under this policy, then its rate-limit wait route: the Lambda
   * service's errors (2 s, 6 times, doubling, at most 60 s); an incomplete model answer (once more
   * after 1 s, twice at most) and a transient error or a timeout (the policy's), both only while
   * automatic retry is on.
   */
  public static List<Retrier> forStep(RetryPolicy policy) {
    List<Retrier> list = new ArrayList<>();
    list.add(new Retrier(LAMBDA_SERVICE_ERRORS, 2, 6, 2, 60L, RetryPolicy.Jitter.FULL, false));
    if (policy.enabled()) {
      list.add(
          new Retrier(
              List.of(MODEL_OUTPUT_INCOMPLETE), 1, 2, 1, null, RetryPolicy.Jitter.NONE, false));
    }
    if (policy.retriesTransientErrors()) {
      list.add(
          new Retrier(
              List.of(TRANSIENT, "States.Timeout"),
              policy.intervalSeconds(),
              policy.attempts(),
              policy.backoffRate(),
              (long) policy.maxDelaySeconds(),
              policy.jitter(),
              false));
    }
    list.add(waitRoute(List.of(RATE_LIMITED), policy.rateLimitWaits()));
    return List.copyOf(list);
  }

  /** Whether this retrier takes the error a step body threw, named by its simple class name. */
  public boolean matches(String errorType) {
    return errorEquals.stream()
        .anyMatch(
            e ->
                e.equals("States.ALL")
                    || e.equals("States.TaskFailed")
                    || e.equals(errorType)
                    || e.endsWith("." + errorType));
  }

  /**
   * The longest wait before retry number {@code retry} (1 for the first): interval ×
   * rate^(retry-1), no more than {@code MaxDelaySeconds}. With {@code JitterStrategy: FULL} the
   * real wait is anywhere from zero to this.
   */
  public Duration delayBefore(int retry) {
    double seconds = intervalSeconds * Math.pow(backoffRate, retry - 1);
    if (maxDelaySeconds != null) {
      seconds = Math.min(seconds, maxDelaySeconds);
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
