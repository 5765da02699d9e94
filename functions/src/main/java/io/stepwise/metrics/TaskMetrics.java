package io.stepwise.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * {@code GET /api/metrics}: the tasks that finished in the window. {@code successRate} is succeeded
 * / (succeeded + failed), null when none finished (cancelled and rejected tasks are people's
 * decisions, not the pipeline's outcome, so they count as finished but not in the rate); durations
 * are creation to final status of succeeded tasks; retry counts are keyed by the number of retries;
 * failures are counted by step and error type.
 */
@Serdeable
public record TaskMetrics(
    String window,
    String from,
    String to,
    long finished,
    long succeeded,
    long failed,
    long cancelled,
    long rejected,
    @Nullable Double successRate,
    Durations durationMs,
    Map<String, Long> retryCounts,
    Map<String, Map<String, Long>> failuresByStep) {

  /** Nearest-rank percentiles in milliseconds; null without succeeded tasks. */
  @Serdeable
  public record Durations(@Nullable Long p50, @Nullable Long p90, @Nullable Long max) {}
}
