package io.stepwise.metrics;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The few attributes of a finished task that the metrics need (read with a projection, not whole
 * items).
 */
public record FinishedTask(
    TaskStatus status,
    Instant createdAt,
    Instant finishedAt,
    int retryCount,
    @Nullable String failedStep,
    @Nullable String errorType) {

  /** From creation to the final status: what the user waited, including any retries. */
  public Duration duration() {
    return Duration.between(createdAt, finishedAt);
  }
}
