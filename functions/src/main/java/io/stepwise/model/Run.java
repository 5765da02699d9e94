package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

/**
 * One execution of the state machine for a task: the first run and each retry or rerun. {@code
 * eventRank} orders the execution's status-change events (redriveCount × 2, +1 once terminal) so a
 * late or repeated event is ignored. {@code overrides} are the input fields a rerun changed (null:
 * none), kept as the run's history. {@code reused} is what the checkpoints the run started from
 * (those of the steps before {@code startAt}) had cost: paid by an earlier run, not again by this
 * one.
 */
public record Run(
    String runId,
    String executionArn,
    String startAt,
    TaskStatus status,
    int redriveCount,
    int eventRank,
    @Nullable JsonNode overrides,
    @Nullable Usage reused) {

  public Run(
      String runId,
      String executionArn,
      String startAt,
      TaskStatus status,
      int redriveCount,
      int eventRank,
      @Nullable JsonNode overrides) {
    this(runId, executionArn, startAt, status, redriveCount, eventRank, overrides, null);
  }

  public Run(
      String runId,
      String executionArn,
      String startAt,
      TaskStatus status,
      int redriveCount,
      int eventRank) {
    this(runId, executionArn, startAt, status, redriveCount, eventRank, null);
  }

  public Run withEvent(TaskStatus newStatus, int newRedriveCount, int rank) {
    return new Run(
        runId, executionArn, startAt, newStatus, newRedriveCount, rank, overrides, reused);
  }

  public Run withOverrides(@Nullable JsonNode changed) {
    return new Run(runId, executionArn, startAt, status, redriveCount, eventRank, changed, reused);
  }
}
