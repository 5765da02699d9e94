package io.stepwise.health;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One probe's result as kept in the history (item {@code MODEL#<name>} / {@code CHECK#<checkedAt>},
 * 24 h TTL).
 */
@Serdeable
public record HealthCheckRecord(
    Instant checkedAt,
    HealthStatus status,
    boolean ok,
    long latencyMs,
    @Nullable String errorCode,
    @Nullable String errorMessage,
    @Nullable Long quotaRemaining) {}
