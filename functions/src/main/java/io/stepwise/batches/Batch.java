package io.stepwise.batches;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * A batch as stored in its {@code BATCH#<batchId>/META} item: how many tasks it was created with, a
 * hash of the request (so a repeated request with the same Idempotency-Key can be told from a
 * different one), how many of its tasks may run at once, whether an operator paused or cancelled
 * it, and the retries made of its tasks. Its tasks carry the batch id and are found through the
 * by-batch index.
 */
public record Batch(
    String batchId,
    int total,
    String requestHash,
    @Nullable String ownerId,
    Instant createdAt,
    Instant expiresAt,
    int maxRunning,
    Steering steering,
    List<Retry> retries) {

  /** What an operator asked of the batch: new tasks start only while it is {@code RUNNING}. */
  public enum Steering {
    RUNNING,
    PAUSED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One retry made of the batch's tasks: {@code retry-failed} (its {@code count} tasks retried) or
   * a single task's retry ({@code taskId}).
   */
  public record Retry(Instant at, String kind, int count, @Nullable String taskId) {

    public static final String RETRY_FAILED = "retry-failed";
    public static final String TASK = "task";
  }

  /**
   * A batch as stored before run limits: {@code maxRunning} 0 (the configured default applies),
   * running, no retries.
   */
  public Batch(
      String batchId,
      int total,
      String requestHash,
      @Nullable String ownerId,
      Instant createdAt,
      Instant expiresAt) {
    this(
        batchId, total, requestHash, ownerId, createdAt, expiresAt, 0, Steering.RUNNING, List.of());
  }

  /** An item stored before run limits lacks the newer fields: each at its default. */
  public Batch {
    retries = retries == null ? List.of() : List.copyOf(retries);
    steering = steering == null ? Steering.RUNNING : steering;
  }
}
