package io.stepwise.testing;

import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository;
import io.stepwise.model.Task;
import java.util.List;
import java.util.Optional;

/** For tests whose tasks belong to no batch: any use of a batch fails the test. */
public final class NoBatches implements BatchRepository {

  private static AssertionError used() {
    return new AssertionError("this test's tasks belong to no batch");
  }

  @Override
  public boolean insert(Batch batch) {
    throw used();
  }

  @Override
  public Optional<Batch> find(String batchId) {
    throw used();
  }

  @Override
  public List<Task> tasks(String batchId) {
    throw used();
  }

  @Override
  public boolean steer(String batchId, Batch.Steering from, Batch.Steering to) {
    throw used();
  }

  @Override
  public void recordRetry(String batchId, Batch.Retry retry) {
    throw used();
  }

  @Override
  public Claim claim(
      Batch batch, int maxRunning, int globalMaxRunning, String taskId, String runId) {
    throw used();
  }

  @Override
  public boolean holdsSlot(String taskId, String runId) {
    throw used();
  }
}
