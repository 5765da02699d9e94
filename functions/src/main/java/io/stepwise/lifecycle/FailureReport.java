package io.stepwise.lifecycle;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Payload of the RecordFailure state: the caught step error ({@code $.failure}) and the run it
 * belongs to.
 */
@Serdeable
public record FailureReport(
    String taskId,
    String runId,
    @Nullable Integer redriveCount,
    @Nullable String executionArn,
    @Nullable String error,
    @Nullable String cause) {}
