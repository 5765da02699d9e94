package io.stepwise.alerts;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A rule's stored state ({@code ALERT#<rule>} / {@code STATE}): whether it is active, since when,
 * the value and threshold of its last evaluation, and the version the next transition is
 * conditioned on (0: never stored).
 */
public record AlertState(
    AlertRule rule,
    boolean active,
    @Nullable Instant since,
    @Nullable Double value,
    double threshold,
    @Nullable Instant evaluatedAt,
    long version) {

  public static AlertState never(AlertRule rule) {
    return new AlertState(rule, false, null, null, 0, null, 0);
  }
}
