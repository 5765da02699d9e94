package io.stepwise.batches;

import io.stepwise.model.Task;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.tasks.RecoveryFilter;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tenancy.Caller;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * "Retry every task that failed at analyze with a rate-limit error since 09:00": the tasks a filter
 * matches, each retried from its failed step through the single-task retry path (the same guards: a
 * checkpoint gone, a task someone is already retrying), at most {@link
 * BatchConfig#startConcurrency()} starts at a time, as a batch's tasks start. A dry run only lists
 * the matches. At most {@link BatchConfig#maxTasks()} tasks a request: more is refused (422) before
 * anything is retried, so the operator narrows the window rather than half of it running.
 */
@Singleton
public class BulkRecovery {

  /**
   * What a bulk retry did: every matched task, and of those the retried ones and the rest with
   * their reason.
   */
  public record Report(
      List<String> matched, List<String> retried, List<BatchService.Skipped> skipped) {}

  private final TaskRepository tasks;
  private final BatchService batches;
  private final BatchConfig config;

  public BulkRecovery(TaskRepository tasks, BatchService batches, BatchConfig config) {
    this.tasks = tasks;
    this.batches = batches;
    this.config = config;
  }

  public Report retry(RecoveryFilter filter, boolean dryRun, Caller caller) {
    List<Task> matched =
        tasks.changedBetween(
            filter.status(),
            filter.since(),
            filter.until(),
            caller.ownerFilter(),
            filter.rest(),
            config.maxTasks() + 1);
    if (matched.size() > config.maxTasks()) {
      throw new BatchTooManyMatchesException(config.maxTasks());
    }
    List<String> ids = matched.stream().map(Task::taskId).toList();
    if (dryRun) {
      return new Report(ids, List.of(), List.of());
    }
    List<BatchService.Outcome> outcomes =
        BoundedParallel.mapAll(
            matched, config.startConcurrency(), t -> batches.retryOne(t.taskId(), caller));
    List<String> retried = BatchService.succeeded(outcomes);
    // a batch's retried tasks wait pending for a run slot: their batches start them
    batches.afterRetries(matched.stream().filter(t -> retried.contains(t.taskId())).toList());
    return new Report(ids, retried, BatchService.skipped(outcomes));
  }
}
