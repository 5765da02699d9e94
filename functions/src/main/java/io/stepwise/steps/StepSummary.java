package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What a step returns to the state machine: a few hundred bytes at most, never the output itself
 * (that is in the checkpoint). {@code reused} tells that the step had already succeeded for this
 * run and did not run again.
 */
@Serdeable
public record StepSummary(
    String taskId,
    String runId,
    String step,
    String status,
    boolean reused,
    @Nullable String model) {}
