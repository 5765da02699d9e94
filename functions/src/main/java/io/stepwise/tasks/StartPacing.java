package io.stepwise.tasks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How execution starts back off when Step Functions throttles them: up to {@code attempts} tries,
 * waiting a random time up to {@code baseDelay × 2^(try-1)}, capped at {@code maxDelay} (full
 * jitter, so a burst of throttled starts spreads out instead of retrying in lock step).
 */
@ConfigurationProperties("stepwise.starts")
public record StartPacing(
    @Bindable(defaultValue = "6") @Min(1) @Max(20) int attempts,
    @Bindable(defaultValue = "200ms") @NotNull Duration baseDelay,
    @Bindable(defaultValue = "5s") @NotNull Duration maxDelay) {

  /**
   * The pause before try {@code attempt + 1}, after {@code attempt} throttled tries (attempt ≥ 1).
   */
  public Duration delayAfter(int attempt) {
    long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
