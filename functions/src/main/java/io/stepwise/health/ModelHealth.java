package io.stepwise.health;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The latest known health of one model (item {@code MODEL#<name>} / {@code LATEST}). {@code recent}
 * holds the outcomes of the last checks, newest last ({@code 1} success, {@code 0} failure), from
 * which the success rate is computed without reading the history. {@code cooldownUntil} is set by
 * the router when the model failed during a task.
 */
@Serdeable
public record ModelHealth(
    String name,
    HealthStatus status,
    @Nullable Long latencyMs,
    @Nullable Long emaLatencyMs,
    @Nullable Double successRate,
    int consecutiveFailures,
    @Nullable String errorCode,
    @Nullable String errorMessage,
    @Nullable Long quotaRemaining,
    @Nullable Long quotaLimit,
    @Nullable Instant checkedAt,
    @Nullable Instant cooldownUntil,
    String recent) {

  public static ModelHealth unknown(String name) {
    return new ModelHealth(
        name, HealthStatus.UNKNOWN, null, null, null, 0, null, null, null, null, null, null, "");
  }

  public boolean coolingDown(Instant now) {
    return cooldownUntil != null && cooldownUntil.isAfter(now);
  }

  public ModelHealth withCooldown(@Nullable Instant until) {
    return new ModelHealth(
        name,
        status,
        latencyMs,
        emaLatencyMs,
        successRate,
        consecutiveFailures,
        errorCode,
        errorMessage,
        quotaRemaining,
        quotaLimit,
        checkedAt,
        until,
        recent);
  }
}
