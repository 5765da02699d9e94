package io.stepwise.batches;

import io.stepwise.tasks.TaskConflictException;

/**
 * The batch's state does not allow the request (resume a running batch, pause a finished one): a
 * 409, like a task's conflicts, and nothing is changed.
 */
public class BatchConflictException extends TaskConflictException {

  public BatchConflictException(String message) {
    super(message);
  }
}
