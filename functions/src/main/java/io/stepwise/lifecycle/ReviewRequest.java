package io.stepwise.lifecycle;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Payload of a pipeline's Review state: the run that reached its review, the step whose output is
 * reviewed and the state's task token ({@code $$.Task.Token}).
 */
@Serdeable
public record ReviewRequest(
    String taskId,
    String runId,
    @Nullable String step,
    @Nullable String reviews,
    String token,
    @Nullable Integer redriveCount,
    @Nullable String executionArn) {}
