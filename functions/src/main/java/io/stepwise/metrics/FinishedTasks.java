package io.stepwise.metrics;

import io.stepwise.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/** Tasks that last changed within a time window, by status: a key-range Query on the by-status index, never a Scan. */
public interface FinishedTasks {

  List<FinishedTask> between(TaskStatus status, Instant from, Instant to);
}
