package io.stepwise.batches;

/** No batch with this id (or it has expired). */
public class BatchNotFoundException extends RuntimeException {

  public BatchNotFoundException(String batchId) {
    super("batch " + io.stepwise.model.Ids.quoted(batchId) + " does not exist");
  }
}
