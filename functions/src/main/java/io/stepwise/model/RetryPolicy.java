package io.stepwise.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the state machine retries one step after a transient error ({@code TransientStepException}, a
 * step timeout) and how many rate-limit waits it allows, per pipeline and step. The defaults are
 * the platform's: 3 retries, 30 s apart at first, doubling, at most 300 s, full jitter; 5
 * rate-limit waits. {@code enabled = false} turns automatic retry off: a transient error or an
 * incomplete model answer then fails the execution at the step's state at once (an operator can
 * still redrive it). Errors of the Lambda service itself are always retried.
 *
 * <p>Configuration ({@code stepwise.pipelines.<pipeline>.retry.*}, overridden per step by {@code
 * stepwise.pipelines.<pipeline>.steps.<step>.retry.*}): {@code enabled}, {@code attempts}, {@code
 * interval}, {@code backoff-rate}, {@code max-delay}, {@code jitter}, {@code rate-limit-waits}. The
 * generated ASL carries the result; see docs/architecture.md, "The workflow".
 */
public record RetryPolicy(
    boolean enabled,
    int attempts,
    int intervalSeconds,
    double backoffRate,
    int maxDelaySeconds,
    Jitter jitter,
    int rateLimitWaits) {

  /** Step Functions' {@code JitterStrategy}. */
  public enum Jitter {
    FULL,
    NONE
  }

  public static final RetryPolicy DEFAULT = new RetryPolicy(true, 3, 30, 2.0, 300, Jitter.FULL, 5);

  static final int MAX_ATTEMPTS = 10;
  static final int MAX_INTERVAL_SECONDS = 3600;
  static final double MAX_BACKOFF_RATE = 10;
  static final int MAX_DELAY_SECONDS = 86_400;
  static final int MAX_RATE_LIMIT_WAITS = 50;

  /**
   * The policy of {@code step} of {@code pipeline}: the defaults, then the pipeline's keys, then
   * the step's. {@code property} looks a configuration key up. An invalid value is an {@link
   * IllegalArgumentException} naming the key and what it allows.
   */
  public static RetryPolicy configured(
      Function<String, Optional<String>> property, String pipeline, String step) {
    RetryPolicy forPipeline = DEFAULT.with(property, "stepwise.pipelines." + pipeline + ".retry.");
    return forPipeline.with(
        property, "stepwise.pipelines." + pipeline + ".steps." + step + ".retry.");
  }

  private RetryPolicy with(Function<String, Optional<String>> property, String prefix) {
    Function<String, Optional<String>> at = key -> property.apply(prefix + key).map(String::trim);
    return new RetryPolicy(
        at.apply("enabled").map(v -> bool(prefix + "enabled", v)).orElse(enabled),
        at.apply("attempts")
            .map(v -> integer(prefix + "attempts", v, 0, MAX_ATTEMPTS))
            .orElse(attempts),
        at.apply("interval")
            .map(v -> seconds(prefix + "interval", v, MAX_INTERVAL_SECONDS))
            .orElse(intervalSeconds),
        at.apply("backoff-rate").map(v -> rate(prefix + "backoff-rate", v)).orElse(backoffRate),
        at.apply("max-delay")
            .map(v -> seconds(prefix + "max-delay", v, MAX_DELAY_SECONDS))
            .orElse(maxDelaySeconds),
        at.apply("jitter").map(v -> jitter(prefix + "jitter", v)).orElse(jitter),
        at.apply("rate-limit-waits")
            .map(v -> integer(prefix + "rate-limit-waits", v, 0, MAX_RATE_LIMIT_WAITS))
            .orElse(rateLimitWaits));
  }

  /** Whether the transient retrier is in the step's {@code Retry} list. */
  public boolean retriesTransientErrors() {
    return enabled && attempts > 0;
  }

  static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, value, "true or false");
    };
  }

  private static int integer(String key, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value, "a whole number from " + min + " to " + max);
  }

  /**
   * Whole seconds from 1 to {@code max}: a bare number of seconds or a duration such as {@code 30s}
   * or {@code 2m}.
   */
  static int seconds(String key, String value, int max) {
    String allowed = "a duration of whole seconds from 1 s to " + max + " s (e.g. 30, 30s, 2m)";
    try {
      long s;
      if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
        s = Long.parseLong(value);
      } else {
        Duration d = parseDuration(value);
        s = d.toMillis() % 1000 == 0 ? d.toSeconds() : -1;
      }
      if (s >= 1 && s <= max) {
        return (int) s;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below
    }
    throw invalid(key, value, allowed);
  }

  private static Duration parseDuration(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new NumberFormatException(value);
    };
  }

  private static double rate(String key, String value) {
    try {
      double r = Double.parseDouble(value);
      if (r >= 1 && r <= MAX_BACKOFF_RATE) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value, "a number from 1.0 to " + MAX_BACKOFF_RATE);
  }

  private static Jitter jitter(String key, String value) {
    try {
      return Jitter.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(key, value, "FULL or NONE");
    }
  }

  private static IllegalArgumentException invalid(String key, String value, String allowed) {
    return new IllegalArgumentException(key + " must be " + allowed + "; it is '" + value + "'");
  }
}
