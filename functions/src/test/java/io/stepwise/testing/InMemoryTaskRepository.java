package io.stepwise.testing;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The task table in memory, with the {@link TaskRepository} contract of {@code DynamoStateStore}:
 * {@code update} and {@code startRun} write only the lifecycle attributes (status, failedStep,
 * error, retryCount, currentRunId, runs, updatedAt) plus the named stale steps, and only while the
 * stored version is {@code before.version()}; on a mismatch they return empty and write nothing.
 * Items whose expiry has passed read as absent (TTL deletion is lazy), so {@code insert} over an
 * expired task succeeds, as the interface says (DynamoStateStore's {@code attribute_not_exists(PK)}
 * would refuse it until TTL deletion catches up). The {@code put…} methods seed state the way the
 * step runtime writes it (no version change) and are not counted as {@link #writes()}.
 */
public final class InMemoryTaskRepository implements TaskRepository {

  private final Clock clock;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, Map<String, Checkpoint>> checkpoints = new HashMap<>();
  private final Map<String, Map<String, String>> items = new HashMap<>();
  private int writes;
  private int conflicts;
  private volatile Runnable afterLoad = () -> {};
  private Runnable beforeNextWrite;

  public InMemoryTaskRepository(Clock clock) {
    this.clock = clock;
  }

  // ---- TaskRepository
  // ----------------------------------------------------------------------------------

  @Override
  public synchronized boolean insert(Task task) {
    if (find(task.taskId()).isPresent()) {
      return false;
    }
    tasks.put(task.taskId(), task);
    writes++;
    return true;
  }

  @Override
  public synchronized Optional<Task> find(String taskId) {
    Task task = tasks.get(taskId);
    return task == null || expired(task.expiresAt()) ? Optional.empty() : Optional.of(task);
  }

  @Override
  public Optional<TaskRecord> load(String taskId) {
    Optional<TaskRecord> record;
    synchronized (this) {
      Map<String, Checkpoint> usable = new HashMap<>();
      checkpoints
          .getOrDefault(taskId, Map.of())
          .forEach(
              (step, c) -> {
                if (!expired(c.expiresAt())) {
                  usable.put(step, c);
                }
              });
      record =
          find(taskId).map(t -> new TaskRecord(t, usable, items.getOrDefault(taskId, Map.of())));
    }
    afterLoad
        .run(); // outside the lock: lets a test line up concurrent callers between their read and
    // write
    return record;
  }

  @Override
  public Optional<Task> update(Task before, Task after) {
    return startRun(before, after, List.of());
  }

  @Override
  public synchronized Optional<Task> startRun(Task before, Task after, List<String> staleSteps) {
    if (beforeNextWrite != null) {
      Runnable concurrent = beforeNextWrite;
      beforeNextWrite = null;
      concurrent.run();
    }
    Task stored = find(before.taskId()).orElse(null);
    if (stored == null || stored.version() != before.version()) {
      conflicts++;
      return Optional.empty();
    }
    Map<String, StepState> steps = new LinkedHashMap<>(stored.steps());
    for (String step : staleSteps) {
      StepState state = after.steps().get(step);
      if (state != null && before.steps().containsKey(step)) {
        steps.put(step, state);
      }
    }
    tasks.put(
        stored.taskId(),
        stored.toBuilder()
            .status(after.status())
            .failedStep(after.failedStep())
            .error(after.error())
            .retryCount(after.retryCount())
            .currentRunId(after.currentRunId())
            .runs(after.runs())
            .updatedAt(after.updatedAt())
            .review(after.review())
            .steps(reviewStep(steps, after))
            .version(before.version() + 1)
            .build());
    writes++;
    return Optional.of(after.withVersion(before.version() + 1)); // what DynamoStateStore returns
  }

  /** The review step's summary is the lifecycle's, written with the task's status. */
  private static Map<String, StepState> reviewStep(Map<String, StepState> steps, Task after) {
    StepState review = after.steps().get(io.stepwise.model.Step.REVIEW);
    if (review != null) {
      steps.put(io.stepwise.model.Step.REVIEW, review);
    }
    return steps;
  }

  @Override
  public synchronized TaskPage awaitingReview(
      @Nullable String pipeline, int limit, @Nullable String cursor, @Nullable String ownerId) {
    List<Task> matching =
        tasks.values().stream()
            .filter(t -> !expired(t.expiresAt()))
            .filter(t -> ownerId == null || ownerId.equals(t.ownerId()))
            .filter(t -> pipeline == null || pipeline.equals(t.pipeline()))
            .filter(t -> t.status() == TaskStatus.AWAITING_REVIEW)
            .sorted(Comparator.comparing(Task::updatedAt))
            .toList();
    int from = cursor == null ? 0 : Integer.parseInt(cursor);
    int to = Math.min(matching.size(), from + limit);
    return new TaskPage(
        matching.subList(from, to), to < matching.size() ? Integer.toString(to) : null);
  }

  @Override
  public synchronized boolean editCheckpoint(
      Task task,
      Step step,
      int editsSeen,
      String outputJson,
      @Nullable String editedBy,
      Instant at) {
    Task stored = find(task.taskId()).orElse(null);
    Checkpoint current = checkpoints.getOrDefault(task.taskId(), Map.of()).get(step.name());
    if (stored == null
        || stored.version() != task.version()
        || current == null
        || current.edits().size() != editsSeen) {
      conflicts++;
      return false;
    }
    if (current.edits().isEmpty()) {
      archived.put(task.taskId() + "/" + current.runId() + "/" + step.name(), current);
    }
    List<Checkpoint.Edit> edits = new java.util.ArrayList<>(current.edits());
    edits.add(new Checkpoint.Edit(editedBy, at));
    putCheckpoint(
        task.taskId(),
        new Checkpoint(
            current.step(),
            current.runId(),
            outputJson,
            current.finishedAt(),
            current.expiresAt(),
            current.usage(),
            edits));
    writes++;
    return true;
  }

  @Override
  public synchronized TaskPage list(
      @Nullable TaskStatus status,
      @Nullable String pipeline,
      int limit,
      @Nullable String cursor,
      @Nullable String ownerId) {
    List<Task> matching =
        tasks.values().stream()
            .filter(t -> !expired(t.expiresAt()))
            .filter(t -> ownerId == null || ownerId.equals(t.ownerId()))
            .filter(t -> pipeline == null || pipeline.equals(t.pipeline()))
            .filter(t -> status == null || t.status() == status)
            .sorted(Comparator.comparing(Task::updatedAt).reversed())
            .toList();
    int from = cursor == null ? 0 : Integer.parseInt(cursor);
    int to = Math.min(matching.size(), from + limit);
    return new TaskPage(
        matching.subList(from, to), to < matching.size() ? Integer.toString(to) : null);
  }

  @Override
  public synchronized List<Task> quietSince(TaskStatus status, Instant before, int limit) {
    return all().stream()
        .filter(t -> t.status() == status && t.updatedAt().isBefore(before))
        .limit(limit)
        .toList();
  }

  /** Archived checkpoints by "taskId/runId/step". */
  private final Map<String, Checkpoint> archived = new HashMap<>();

  @Override
  public synchronized void archiveCheckpoints(String taskId, List<Step> steps) {
    // the stored checkpoints directly: load() would run the test's afterLoad hook a second time
    Map<String, Checkpoint> current = checkpoints.getOrDefault(taskId, Map.of());
    steps.forEach(
        s -> {
          Checkpoint cp = current.get(s.name());
          if (cp != null) {
            archived.put(taskId + "/" + cp.runId() + "/" + s.name(), cp);
          }
        });
  }

  @Override
  public synchronized Map<String, Checkpoint> runCheckpoints(String taskId, String runId) {
    Map<String, Checkpoint> found = new HashMap<>();
    archived.forEach(
        (k, cp) -> {
          if (k.startsWith(taskId + "/" + runId + "/")) {
            found.put(cp.step(), cp);
          }
        });
    checkpoints.getOrDefault(taskId, Map.of()).values().stream()
        .filter(c -> runId.equals(c.runId()) && !expired(c.expiresAt()))
        .forEach(c -> found.put(c.step(), c));
    return found;
  }

  @Override
  public synchronized List<Task> changedBetween(
      TaskStatus status,
      @Nullable Instant since,
      @Nullable Instant until,
      @Nullable String ownerId,
      Predicate<Task> filter,
      int limit) {
    return all().stream()
        .filter(t -> t.status() == status)
        .filter(t -> since == null || !t.updatedAt().isBefore(since))
        .filter(t -> until == null || t.updatedAt().isBefore(until))
        .filter(t -> ownerId == null || ownerId.equals(t.ownerId()))
        .filter(filter)
        .sorted(Comparator.comparing(Task::updatedAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Map<TaskStatus, Long> countByStatus(
      @Nullable String ownerId, @Nullable String pipeline) {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(s, 0L);
    }
    tasks.values().stream()
        .filter(t -> !expired(t.expiresAt()))
        .filter(t -> ownerId == null || ownerId.equals(t.ownerId()))
        .filter(t -> pipeline == null || pipeline.equals(t.pipeline()))
        .forEach(t -> counts.merge(t.status(), 1L, Long::sum));
    return counts;
  }

  // ---- seeding and inspection
  // ----------------------------------------------------------------------------

  /** Stores the task as given (its version included), replacing any stored one. */
  public synchronized void put(Task task) {
    tasks.put(task.taskId(), task);
  }

  /** A successful step's checkpoint item, as the step runtime writes it. */
  public synchronized void putCheckpoint(String taskId, Checkpoint checkpoint) {
    checkpoints.computeIfAbsent(taskId, k -> new HashMap<>()).put(checkpoint.step(), checkpoint);
  }

  /** The stored task item, expired or not (empty when none was ever stored). */
  public synchronized Optional<Task> stored(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** Every checkpoint item stored for the task, expired or not. */
  public synchronized Map<String, Checkpoint> storedCheckpoints(String taskId) {
    return Map.copyOf(checkpoints.getOrDefault(taskId, Map.of()));
  }

  public synchronized List<Task> all() {
    return new ArrayList<>(tasks.values());
  }

  /** Successful inserts and conditional updates through the {@link TaskRepository} interface. */
  public synchronized int writes() {
    return writes;
  }

  /** Conditional updates refused because the stored version had moved on. */
  public synchronized int conflicts() {
    return conflicts;
  }

  /** Runs after every {@link #load} has taken its snapshot, outside the repository's lock. */
  public void afterLoad(Runnable hook) {
    this.afterLoad = hook;
  }

  /**
   * Runs once, just before the next conditional write is checked: a concurrent writer getting in
   * first.
   */
  public synchronized void beforeNextWrite(Runnable concurrent) {
    this.beforeNextWrite = concurrent;
  }

  private boolean expired(@Nullable Instant expiresAt) {
    return expiresAt != null && !expiresAt.isAfter(clock.instant());
  }
}
