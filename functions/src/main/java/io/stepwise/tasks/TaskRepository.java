package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Step;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Task items in the state table. Every lifecycle write is conditional on the task's {@code
 * version}.
 */
public interface TaskRepository {

  /** Stores a new task; false when a task with that id already exists (nothing is written then). */
  boolean insert(Task task);

  Optional<Task> find(String taskId);

  /** The task with its checkpoints and item results, in one Query. */
  Optional<TaskRecord> load(String taskId);

  /**
   * Writes {@code after}'s lifecycle attributes (status, failure, runs, retry count, current run)
   * if the stored version is still {@code before.version()}: the stored task (version + 1), or
   * empty on a conflict, with nothing written.
   */
  Optional<Task> update(Task before, Task after);

  /**
   * Starts a new run atomically: the lifecycle update of {@link #update} plus the given steps
   * marked stale in the task's step summary; empty on a conflict (another retry or a status change
   * won).
   */
  Optional<Task> startRun(Task before, Task after, List<String> staleSteps);

  /** Newest activity first; {@code status} null lists every status. */
  default TaskPage list(@Nullable TaskStatus status, int limit, @Nullable String cursor) {
    return list(status, limit, cursor, null);
  }

  /**
   * Newest activity first, only {@code ownerId}'s tasks unless it is null. The cursor is the last
   * item's sort key, so a page filtered by owner continues exactly where it stopped.
   */
  default TaskPage list(
      @Nullable TaskStatus status, int limit, @Nullable String cursor, @Nullable String ownerId) {
    return list(status, null, limit, cursor, ownerId);
  }

  /**
   * As {@link #list(TaskStatus, int, String, String)}, only {@code pipeline}'s tasks unless it is
   * null.
   */
  TaskPage list(
      @Nullable TaskStatus status,
      @Nullable String pipeline,
      int limit,
      @Nullable String cursor,
      @Nullable String ownerId);

  default Map<TaskStatus, Long> countByStatus() {
    return countByStatus(null);
  }

  default Map<TaskStatus, Long> countByStatus(@Nullable String ownerId) {
    return countByStatus(ownerId, null);
  }

  /**
   * Live tasks by status, only {@code ownerId}'s unless it is null, only {@code pipeline}'s unless
   * it is null.
   */
  Map<TaskStatus, Long> countByStatus(@Nullable String ownerId, @Nullable String pipeline);

  /**
   * Live tasks of one status, every owner's and pipeline's (the backlog alert counts pending ones
   * every minute: one status partition, not all five).
   */
  default long count(TaskStatus status) {
    return countByStatus().getOrDefault(status, 0L);
  }

  /**
   * Up to {@code limit} live tasks of this status whose last activity is before {@code before},
   * oldest last activity first is not promised: what the reconciler sweeps.
   */
  List<Task> quietSince(TaskStatus status, Instant before, int limit);

  /**
   * Live tasks of this status whose last change lies in {@code [since, until)} (either end open
   * when null), only {@code ownerId}'s unless it is null, that {@code filter} keeps: newest change
   * first, at most {@code limit}. Reads the by-status index in that key range, page by page, until
   * {@code limit} tasks are kept or the range ends.
   */
  List<Task> changedBetween(
      TaskStatus status,
      @Nullable Instant since,
      @Nullable Instant until,
      @Nullable String ownerId,
      Predicate<Task> filter,
      int limit);

  /**
   * Keeps a copy of each of these steps' current checkpoints under the run that wrote it, before a
   * new run replaces them, so every run's outputs stay readable until their expiry ({@link
   * #runCheckpoints}). Idempotent.
   */
  void archiveCheckpoints(String taskId, List<Step> steps);

  /**
   * The checkpoints run {@code runId} wrote, by step: the current ones it wrote and the archived
   * ones.
   */
  Map<String, Checkpoint> runCheckpoints(String taskId, String runId);

  /**
   * Replaces {@code step}'s current checkpoint output with a person's edit, if the task's stored
   * version is still {@code task.version()} and the checkpoint is still the one that person saw
   * ({@code editsSeen} edits on it): the first edit keeps the output the run wrote under that run
   * ({@link #runCheckpoints}), every edit records who and when. False on a conflict, with nothing
   * written.
   */
  boolean editCheckpoint(
      Task task,
      Step step,
      int editsSeen,
      String outputJson,
      @Nullable String editedBy,
      Instant at);

  /**
   * Tasks awaiting review, oldest wait first, only {@code ownerId}'s unless it is null, only {@code
   * pipeline}'s unless it is null.
   */
  TaskPage awaitingReview(
      @Nullable String pipeline, int limit, @Nullable String cursor, @Nullable String ownerId);

  /** One page of tasks and the opaque cursor of the next one (null at the end). */
  record TaskPage(List<Task> items, @Nullable String nextCursor) {}
}
