package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The Lambda payload a Task state sends (see {@code Parameters.Payload} in statemachine.asl.json).
 * {@code retryCount} and {@code redriveCount} come from the context object and are informational.
 */
@Serdeable
public record StepInvocation(
    String taskId,
    String runId,
    String step,
    @Nullable Integer retryCount,
    @Nullable Integer redriveCount,
    @Nullable String executionArn) {}
