package io.stepwise.batches;

import io.stepwise.model.Ids;

/** No batch with this id (or it has expired). */
public class BatchNotFoundException extends RuntimeException {

  public BatchNotFoundException(String batchId) {
    super("batch " + Ids.quoted(batchId) + " does not exist");
  }
}
