package io.stepwise.api;

/**
 * More tasks in one batch than configured ({@code stepwise.batches.max-tasks}); answered with 413.
 */
public class BatchTooLargeException extends RuntimeException {

  public BatchTooLargeException(long requested, int max) {
    super(
        "a batch holds at most "
            + max
            + " tasks; this request asks for "
            + requested
            + ": split it into several batches");
  }
}
