package io.stepwise.metrics;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * Tasks that last changed within a time window, by status: a key-range Query on the by-status
 * index, never a Scan.
 */
public interface FinishedTasks {

  default List<FinishedTask> between(TaskStatus status, Instant from, Instant to) {
    return between(status, from, to, null);
  }

  /** Only {@code ownerId}'s tasks unless it is null. */
  List<FinishedTask> between(TaskStatus status, Instant from, Instant to, @Nullable String ownerId);
}
