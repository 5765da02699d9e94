package io.stepwise.workflow;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The state machine's input: which task, which run, where to start (claim check: nothing else). */
@Serdeable
public record ExecutionInput(String taskId, String runId, @Nullable String startAt) {}
