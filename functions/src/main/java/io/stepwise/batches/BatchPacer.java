package io.stepwise.batches;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Starts a batch's pending tasks while it has room: at most its {@code maxRunning} at once, and all
 * batches together at most {@code stepwise.batches.max-running}. There is no poller: the batch is
 * paced when it is created or resumed, when a retry queues one of its tasks, when one of its tasks
 * finishes (execution-events), and by the reconciler (a lost event). Each start first claims a run
 * slot with a conditional transaction ({@link BatchRepository#claim}), so two pacers running at
 * once (two tasks finishing together) never start the same task twice nor more than the limit; a
 * slot is given back by its task's final status itself, so a lost event costs time, not a slot.
 */
@Singleton
public class BatchPacer {

  private static final Logger LOG = LoggerFactory.getLogger(BatchPacer.class);

  /** Rounds of re-reading the slots when another claim took the chosen one first. */
  private static final int MAX_CONTENTION = 8;

  /** A task the pacer claimed a slot for, and why it could not be started, if it could not. */
  public record Start(String taskId, @Nullable String problem) {}

  private final BatchRepository batches;
  private final TaskService tasks;
  private final TaskRepository taskStore;
  private final BatchConfig config;

  public BatchPacer(
      BatchRepository batches, TaskService tasks, TaskRepository taskStore, BatchConfig config) {
    this.batches = batches;
    this.tasks = tasks;
    this.taskStore = taskStore;
    this.config = config;
  }

  /** The batch's limit: its own, or the configured default for a batch stored without one. */
  public int maxRunning(Batch batch) {
    return batch.maxRunning() > 0 ? batch.maxRunning() : config.maxRunningPerBatch();
  }

  /**
   * Starts the batch's pending tasks, oldest first, until no slot is free or none is pending;
   * nothing while the batch is paused or cancelled. Safe to call at any time and from several
   * places at once.
   */
  public List<Start> startNext(String batchId) {
    return start(batchId, batches.tasks(batchId));
  }

  /**
   * As {@link #startNext(String)}, among {@code candidates} only (those still pending): the tasks a
   * request has just stored or retried, read consistently, which the by-batch index may not show
   * yet.
   */
  public List<Start> start(String batchId, List<Task> candidates) {
    Optional<Batch> batch = batches.find(batchId);
    List<Task> pending =
        candidates.stream()
            .filter(t -> t.status() == TaskStatus.PENDING)
            .sorted(Comparator.comparing(Task::updatedAt).thenComparing(Task::taskId))
            .toList();
    if (batch.isEmpty()) {
      // No batch item (expired, or a request cut short before storing it): no limit to keep, so
      // its tasks start as tasks of their own rather than wait for a slot nobody can give.
      return BoundedParallel.mapAll(pending, config.startConcurrency(), this::launch);
    }
    if (batch.get().steering() != Batch.Steering.RUNNING) {
      return List.of();
    }
    List<Task> claimed = new ArrayList<>();
    for (Task task : pending) {
      BatchRepository.Claim claim = claim(batch.get(), task);
      if (claim == BatchRepository.Claim.NO_SLOT) {
        break;
      }
      if (claim == BatchRepository.Claim.CLAIMED) {
        claimed.add(task);
      } // TASK_TAKEN, CONTENDED: someone else's, or another pacer is busy: the next one
    }
    // Claims are quick conditional writes, one at a time; the starts run at most
    // start-concurrency at once, well under Step Functions' StartExecution bucket.
    return BoundedParallel.mapAll(claimed, config.startConcurrency(), this::launch);
  }

  /**
   * After a task's status changed (its execution's event, a repair): when it has finished and
   * belongs to a batch, its slot is free again, so the batch's next task starts.
   */
  public void afterChange(String taskId) {
    taskStore
        .find(taskId)
        .filter(t -> t.batchId() != null && !t.status().active())
        .ifPresent(t -> startNext(t.batchId()));
  }

  /**
   * A pending batch task the reconciler found quiet with no execution: started if it already holds
   * a slot (its start was cut short after the claim), otherwise its batch is paced. Whether this
   * task started. {@code pace} false: the caller paced this batch already (the reconciler paces
   * each batch once per sweep, however many of its tasks wait).
   */
  public boolean startStranded(Task task, boolean pace) {
    if (task.currentRunId() != null && batches.holdsSlot(task.taskId(), task.currentRunId())) {
      return launch(task).problem() == null;
    }
    if (!pace) {
      return false;
    }
    return startNext(task.batchId()).stream()
        .anyMatch(s -> s.taskId().equals(task.taskId()) && s.problem() == null);
  }

  private BatchRepository.Claim claim(Batch batch, Task task) {
    for (int round = 0; round < MAX_CONTENTION; round++) {
      BatchRepository.Claim claim =
          batches.claim(
              batch, maxRunning(batch), config.maxRunning(), task.taskId(), task.currentRunId());
      if (claim != BatchRepository.Claim.CONTENDED) {
        return claim;
      }
    }
    return BatchRepository.Claim.CONTENDED;
  }

  /** Starts a task that holds its slot; a refusal is its outcome (the task is failed with it). */
  private Start launch(Task task) {
    try {
      Task launched = tasks.launch(task);
      if (launched.status() == TaskStatus.FAILED && launched.error() != null) {
        return new Start(task.taskId(), "not started: " + launched.error().message());
      }
      return new Start(task.taskId(), null);
    } catch (WorkflowUnavailableException e) {
      // TaskService has marked the task failed with the reason, which frees its slot.
      LOG.warn("batch task {} could not be started: {}", task.taskId(), e.getMessage());
      return new Start(task.taskId(), "not started: " + e.getMessage());
    } catch (SdkException e) {
      // The state table failed: the task stays pending with its slot; the reconciler starts it.
      LOG.warn("batch task {} not started, state table error: {}", task.taskId(), e.getMessage());
      return new Start(task.taskId(), "not started, state table error: " + e.getMessage());
    }
  }
}
