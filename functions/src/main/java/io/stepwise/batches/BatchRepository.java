package io.stepwise.batches;

import io.stepwise.model.Task;
import java.util.List;
import java.util.Optional;

/** Batch items and the by-batch index of the state table. */
public interface BatchRepository {

  /**
   * Stores a new batch; false when a batch with that id already exists (nothing is written then).
   */
  boolean insert(Batch batch);

  /** The batch, unless unknown or expired. */
  Optional<Batch> find(String batchId);

  /**
   * Every live task of the batch, read from the by-batch index (eventually consistent, like any
   * GSI).
   */
  List<Task> tasks(String batchId);
}
