package io.stepwise.tasks;

/** An Idempotency-Key sent again with a different request body. */
public class IdempotencyKeyReusedException extends RuntimeException {

  public IdempotencyKeyReusedException(String taskId) {
    super("this Idempotency-Key was already used for task " + taskId + " with a different body");
  }
}
