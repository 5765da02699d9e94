package io.stepwise.batches;

import io.stepwise.model.Task;
import java.util.List;
import java.util.Optional;

/** Batch items, their run slots, and the by-batch index of the state table. */
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

  /**
   * Sets the batch's steering to {@code to} if it is {@code from}; false (nothing written) if not.
   */
  boolean steer(String batchId, Batch.Steering from, Batch.Steering to);

  /** Appends one retry to the batch's history (nothing when the batch item is gone). */
  void recordRetry(String batchId, Batch.Retry retry);

  /** What a claim of a run slot for a pending task did. */
  enum Claim {
    /** The task holds a slot of its batch and one of all batches for its current run: start it. */
    CLAIMED,
    /** No slot is free (the batch's or the global one), or the batch is not running. */
    NO_SLOT,
    /** The task is no longer pending in that run, or already holds its slot. */
    TASK_TAKEN,
    /** Another claim took the chosen slot first: read the slots again. */
    CONTENDED
  }

  /**
   * Claims, in one transaction, a free slot of the batch (of {@code maxRunning}, the batch's own
   * limit) and a free slot of all batches (of {@code globalMaxRunning}) for the task's current run:
   * a slot is free when it was never used or its holder is no longer pending or running in the run
   * it claimed it for. The task must be pending in {@code runId} and hold no slot for it yet, and
   * the batch must be running; each slot is written on the condition that it still holds what was
   * read, so two claims never take one slot and a task is never claimed twice.
   */
  Claim claim(Batch batch, int maxRunning, int globalMaxRunning, String taskId, String runId);

  /** Whether the task holds a run slot for {@code runId} (claimed, perhaps not yet started). */
  boolean holdsSlot(String taskId, String runId);
}
