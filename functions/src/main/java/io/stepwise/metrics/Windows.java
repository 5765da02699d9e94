package io.stepwise.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric windows as written in a URL: {@code 30m}, {@code 24h}, {@code 7d}; from 1 minute to 30
 * days (task retention).
 */
public final class Windows {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})([mhd])");
  private static final Duration MAX = Duration.ofDays(30);

  private Windows() {}

  /** The window, or empty when the text is not one. */
  public static Optional<Duration> parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    return n < 1 || d.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(d);
  }
}
