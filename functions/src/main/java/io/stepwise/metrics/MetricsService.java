package io.stepwise.metrics;

import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import io.stepwise.tenancy.Caller;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operational figures over a recent window (what operators watch), computed from the tasks that
 * finished in it.
 */
@Singleton
public class MetricsService {

  private final FinishedTasks tasks;
  private final Clock clock;

  public MetricsService(FinishedTasks tasks, Clock clock) {
    this.tasks = tasks;
    this.clock = clock;
  }

  public TaskMetrics over(String label, Duration window) {
    return over(label, window, Caller.OPEN);
  }

  /** The figures of the caller's own tasks (every owner's for an operator or in open mode). */
  public TaskMetrics over(String label, Duration window, Caller caller) {
    Instant to = clock.instant();
    Instant from = to.minus(window);
    String owner = caller.ownerFilter();
    List<FinishedTask> succeeded = tasks.between(TaskStatus.SUCCEEDED, from, to, owner);
    List<FinishedTask> failed = tasks.between(TaskStatus.FAILED, from, to, owner);
    List<FinishedTask> cancelled = tasks.between(TaskStatus.CANCELLED, from, to, owner);
    List<FinishedTask> rejected = tasks.between(TaskStatus.REJECTED, from, to, owner);

    long decided = succeeded.size() + failed.size();
    Double rate = decided == 0 ? null : (double) succeeded.size() / decided;
    List<Long> durations =
        new ArrayList<>(succeeded.stream().map(t -> t.duration().toMillis()).sorted().toList());

    // TreeMap with numeric ordering of the keys: "0", "1", "2", ... "10"
    Map<String, Long> retries =
        new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    succeeded.forEach(t -> retries.merge(Integer.toString(t.retryCount()), 1L, Long::sum));
    failed.forEach(t -> retries.merge(Integer.toString(t.retryCount()), 1L, Long::sum));

    Map<String, Map<String, Long>> failures = new TreeMap<>();
    for (FinishedTask t : failed) {
      String step = t.failedStep() == null ? "unknown" : t.failedStep();
      String type = t.errorType() == null ? "Unknown" : t.errorType();
      failures.computeIfAbsent(step, s -> new TreeMap<>()).merge(type, 1L, Long::sum);
    }
    return new TaskMetrics(
        label,
        Times.format(from),
        Times.format(to),
        decided + cancelled.size() + rejected.size(),
        succeeded.size(),
        failed.size(),
        cancelled.size(),
        rejected.size(),
        rate,
        new TaskMetrics.Durations(
            percentile(durations, 50),
            percentile(durations, 90),
            durations.isEmpty() ? null : durations.get(durations.size() - 1)),
        retries,
        failures);
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it. */
  static Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
