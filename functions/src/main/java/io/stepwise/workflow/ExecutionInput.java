package io.stepwise.workflow;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * The state machine's input: which task, which run, where to start (claim check: nothing else), the
 * rate-limit waits made so far per step, none at the start (the steps' Payload reads the field, so
 * it must exist), and whether the task stops at its pipeline's review step.
 */
@Serdeable
public record ExecutionInput(
    String taskId,
    String runId,
    @Nullable String startAt,
    @Nullable Map<String, Integer> rateLimitWaits,
    boolean review) {

  public ExecutionInput(String taskId, String runId, String startAt) {
    this(taskId, runId, startAt, Map.of(), false);
  }

  public ExecutionInput(String taskId, String runId, String startAt, boolean review) {
    this(taskId, runId, startAt, Map.of(), review);
  }
}
