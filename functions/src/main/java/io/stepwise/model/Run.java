package io.stepwise.model;

/**
 * One execution of the state machine for a task: the first run and each retry. {@code eventRank} orders the
 * execution's status-change events (redriveCount × 2, +1 once terminal) so a late or repeated event is ignored.
 */
public record Run(
    String runId,
    String executionArn,
    String startAt,
    TaskStatus status,
    int redriveCount,
    int eventRank) {

  public Run withEvent(TaskStatus newStatus, int newRedriveCount, int rank) {
    return new Run(runId, executionArn, startAt, newStatus, newRedriveCount, rank);
  }
}
