package io.stepwise.steps;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * The Lambda payload a Task state sends ({@code Parameters.Payload}, see {@code AslGenerator}).
 * {@code retryCount} and {@code redriveCount} come from the context object and are informational;
 * {@code rateLimitWaits} counts, per step, the rate-limit waits this execution has made (absent in
 * executions started before it was added).
 */
@Serdeable
public record StepInvocation(
    String taskId,
    String runId,
    String step,
    @Nullable Integer retryCount,
    @Nullable Integer redriveCount,
    @Nullable String executionArn,
    @Nullable Map<String, Integer> rateLimitWaits) {

  public StepInvocation(
      String taskId,
      String runId,
      String step,
      Integer retryCount,
      Integer redriveCount,
      String executionArn) {
    this(taskId, runId, step, retryCount, redriveCount, executionArn, null);
  }

  /** The rate-limit waits this step has made in this execution. */
  public int rateLimitWaitsOf(String stepName) {
    return rateLimitWaits == null ? 0 : rateLimitWaits.getOrDefault(stepName, 0);
  }
}
