package io.stepwise.workflow;

import io.micronaut.core.annotation.Nullable;

/**
 * What Step Functions says of one execution now: its status, redrive count, and error and cause if
 * it failed.
 */
public record ExecutionState(
    String status, int redriveCount, @Nullable String error, @Nullable String cause) {

  public boolean ended() {
    return !"RUNNING".equals(status) && !"PENDING_REDRIVE".equals(status);
  }
}
