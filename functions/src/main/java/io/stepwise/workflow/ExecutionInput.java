package io.stepwise.workflow;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * The state machine's input: which task, which run, where to start (claim check: nothing else), and
 * the rate-limit waits made so far per step, none at the start (the steps' Payload reads the field,
 * so it must exist).
 */
@Serdeable
public record ExecutionInput(
    String taskId,
    String runId,
    @Nullable String startAt,
    @Nullable Map<String, Integer> rateLimitWaits) {

  public ExecutionInput(String taskId, String runId, String startAt) {
    this(taskId, runId, startAt, Map.of());
  }
}
