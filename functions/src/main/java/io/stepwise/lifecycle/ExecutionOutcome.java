package io.stepwise.lifecycle;

import io.stepwise.model.TaskStatus;
import java.util.Locale;

/**
 * An execution status as Step Functions reports it, and what it means for the task. The rank orders
 * the events of one execution: each redrive returns it to RUNNING with a higher redrive count.
 */
public enum ExecutionOutcome {
  RUNNING(TaskStatus.RUNNING),
  SUCCEEDED(TaskStatus.SUCCEEDED),
  FAILED(TaskStatus.FAILED),
  TIMED_OUT(TaskStatus.FAILED),
  ABORTED(TaskStatus.CANCELLED);

  private final TaskStatus taskStatus;

  ExecutionOutcome(TaskStatus taskStatus) {
    this.taskStatus = taskStatus;
  }

  public TaskStatus taskStatus() {
    return taskStatus;
  }

  public int rank(int redriveCount) {
    return redriveCount * 2 + (this == RUNNING ? 0 : 1);
  }

  public static ExecutionOutcome parse(String status) {
    return valueOf(status.toUpperCase(Locale.ROOT));
  }
}
