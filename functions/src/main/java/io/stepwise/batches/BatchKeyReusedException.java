package io.stepwise.batches;

/** An Idempotency-Key sent again for a batch with a different request body. */
public class BatchKeyReusedException extends RuntimeException {

  public BatchKeyReusedException(String batchId) {
    super("this Idempotency-Key was already used for batch " + batchId + " with a different body");
  }
}
