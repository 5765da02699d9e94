package io.stepwise.batches;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.stepwise.model.Ids;
import io.stepwise.model.Retention;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.tasks.NewTask;
import io.stepwise.tasks.TaskConflictException;
import io.stepwise.tasks.TaskNotFoundException;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.stepwise.tenancy.Caller;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Many tasks at once: create and start them, count them by status, and retry the failed ones.
 *
 * <p>Every task goes through {@link TaskService}'s own create and retry paths, so the same guards
 * hold (version checks, checkpoint checks, deterministic execution names). Its tasks are stored
 * pending and started by {@link BatchPacer} within the batch's {@code maxRunning}; starts run with
 * bounded concurrency and back off when throttled; a task that still cannot be started is marked
 * failed with the reason and reported in the response, so no task is silently left behind. An
 * operator pauses, resumes or cancels the batch; each retry of its tasks is kept in its history.
 * With an Idempotency-Key the batch and task ids are derived from it: sending the same request
 * again returns the same batch and starts whatever was left pending.
 */
@Singleton
public class BatchService {

  private final BatchRepository batches;
  private final TaskService tasks;
  private final BatchConfig config;
  private final JsonMapper json;
  private final Clock clock;
  private final Retention store;
  private final BatchPacer pacer;
  private final TaskRepository taskStore;

  public BatchService(
      BatchRepository batches,
      TaskService tasks,
      BatchConfig config,
      JsonMapper json,
      Clock clock,
      Retention store,
      BatchPacer pacer,
      TaskRepository taskStore) {
    this.taskStore = taskStore;
    this.pacer = pacer;
    this.batches = batches;
    this.tasks = tasks;
    this.config = config;
    this.json = json;
    this.clock = clock;
    this.store = store;
  }

  /** What a create did: every task id, and the ones that could not be started with why. */
  public record Created(String batchId, List<String> taskIds, List<Skipped> notStarted) {}

  /** A task left out of an operation, and the reason. */
  public record Skipped(String taskId, String reason) {}

  /**
   * A batch with its tasks' statuses counted, its status ({@code running}, {@code paused} or {@code
   * finished}: no task pending or running), its limit and its failed tasks, most recently changed
   * first.
   */
  public record Summary(
      Batch batch,
      String status,
      int maxRunning,
      Map<TaskStatus, Long> stats,
      List<String> taskIds,
      List<Task> failed) {}

  /**
   * What retry-failed did: failed tasks retried, stranded pending tasks started, and those left
   * with why.
   */
  public record RetryReport(List<String> retried, List<String> started, List<Skipped> skipped) {}

  record Outcome(String taskId, @Nullable String problem) {}

  public int maxTasks() {
    return config.maxTasks();
  }

  /** The largest {@code maxRunning} a batch may ask for: the cap over all batches. */
  public int maxRunningCap() {
    return config.maxRunning();
  }

  public Created create(
      List<NewTask> inputs, @Nullable String idempotencyKey, @Nullable String ownerId) {
    return create(inputs, null, idempotencyKey, ownerId);
  }

  /**
   * Stores the batch and its tasks, all pending, then starts as many as its {@code maxRunning}
   * (default {@code stepwise.batches.max-running-per-batch}) allows; the rest start as others
   * finish.
   */
  public Created create(
      List<NewTask> inputs,
      @Nullable Integer maxRunning,
      @Nullable String idempotencyKey,
      @Nullable String ownerId) {
    if (inputs.isEmpty() || inputs.size() > config.maxTasks()) {
      throw new IllegalArgumentException("a batch holds 1 to " + config.maxTasks() + " tasks");
    }
    int limit =
        maxRunning == null
            ? Math.min(config.maxRunningPerBatch(), config.maxRunning())
            : maxRunning;
    if (limit < 1 || limit > config.maxRunning()) {
      throw new IllegalArgumentException("maxRunning is 1 to " + config.maxRunning());
    }
    String hash = hash(inputs) + (maxRunning == null ? "" : "/" + maxRunning);
    String batchId =
        idempotencyKey == null
            ? UUID.randomUUID().toString()
            : UUID.nameUUIDFromBytes(
                    ("stepwise-batch\n" + ownerId + "\n" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    Instant now = clock.instant();
    Batch batch =
        new Batch(
            batchId,
            inputs.size(),
            hash,
            ownerId,
            now,
            now.plus(store.taskRetention()),
            limit,
            Batch.Steering.RUNNING,
            List.of());
    if (!batches.insert(batch)) {
      Batch existing =
          batches
              .find(batchId)
              .orElseThrow(
                  () ->
                      new TaskConflictException(
                          "batch " + batchId + " is being replaced; try again"));
      if (!existing.requestHash().equals(hash)) {
        throw new BatchKeyReusedException(batchId);
      }
    }
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      indexes.add(i);
    }
    // Each task's key is derived from the batch, so a repeated request finds the same tasks instead
    // of new ones.
    List<Outcome> outcomes =
        BoundedParallel.mapAll(
            indexes,
            config.startConcurrency(),
            i -> prepareOne(inputs.get(i), batchId + "#" + i, ownerId, batchId));
    List<Outcome> problems =
        new ArrayList<>(outcomes.stream().filter(o -> o.problem() != null).toList());
    // the tasks as just stored: the by-batch index may not list them yet
    List<Task> stored =
        outcomes.stream()
            .filter(o -> o.problem() == null)
            .map(o -> taskStore.find(o.taskId()))
            .flatMap(Optional::stream)
            .toList();
    pacer.start(batchId, stored).stream()
        .filter(s -> s.problem() != null)
        .forEach(s -> problems.add(new Outcome(s.taskId(), s.problem())));
    return new Created(batchId, outcomes.stream().map(Outcome::taskId).toList(), skipped(problems));
  }

  /**
   * Stores one task pending (or finds it, on a repeat); a task an earlier attempt could not start
   * is reported, as is a state table error, rather than abandoning the rest of the batch.
   */
  private Outcome prepareOne(NewTask input, String key, @Nullable String ownerId, String batchId) {
    String taskId = TaskService.taskIdFor(ownerId, key);
    try {
      Task task = tasks.prepare(input.pipeline(), input.input(), key, ownerId, batchId);
      return new Outcome(
          taskId, neverStarted(task) ? "not started: " + task.error().message() : null);
    } catch (SdkException e) {
      // The same request with its Idempotency-Key completes it.
      return new Outcome(taskId, "not stored, state table error: " + e.getMessage());
    }
  }

  /**
   * A task a previous attempt at this batch could not start (see TaskService#start), found on a
   * repeat.
   */
  private static boolean neverStarted(Task t) {
    return t.status() == TaskStatus.FAILED
        && t.retryCount() == 0
        && t.error() != null
        && "WorkflowUnavailable".equals(t.error().type());
  }

  /**
   * The batch and its tasks' statuses; 404 when unknown or not the caller's (operators and open
   * mode see all).
   */
  public Summary get(String batchId, Caller caller) {
    return summary(found(batchId, caller));
  }

  private Summary summary(Batch batch) {
    List<Task> members = batches.tasks(batch.batchId());
    Map<TaskStatus, Long> stats = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      stats.put(s, 0L);
    }
    members.forEach(t -> stats.merge(t.status(), 1L, Long::sum));
    return new Summary(
        batch,
        status(batch, stats),
        pacer.maxRunning(batch),
        stats,
        members.stream().map(Task::taskId).toList(),
        failedFirst(members));
  }

  /** {@code finished} once no task is pending or running; else what an operator asked for. */
  private static String status(Batch batch, Map<TaskStatus, Long> stats) {
    if (finished(stats)) {
      return "finished";
    }
    return batch.steering() == Batch.Steering.RUNNING ? "running" : "paused";
  }

  private static boolean finished(Map<TaskStatus, Long> stats) {
    return stats.getOrDefault(TaskStatus.PENDING, 0L) == 0
        && stats.getOrDefault(TaskStatus.RUNNING, 0L) == 0;
  }

  private static List<Task> failedFirst(List<Task> members) {
    return members.stream()
        .filter(t -> t.status() == TaskStatus.FAILED)
        .sorted(Comparator.comparing(Task::updatedAt).reversed())
        .toList();
  }

  /**
   * No new task of the batch starts; running ones finish. 409 when it is already paused, was
   * cancelled or has finished.
   */
  public Summary pause(String batchId, Caller caller) {
    Batch batch = found(batchId, caller);
    Summary now = summary(batch);
    if (batch.steering() != Batch.Steering.RUNNING) {
      throw new BatchConflictException(
          "batch is " + batch.steering().wire() + "; only a running batch can be paused");
    }
    if (now.status().equals("finished")) {
      throw new BatchConflictException("batch has finished: no task is pending or running");
    }
    steer(batchId, Batch.Steering.RUNNING, Batch.Steering.PAUSED);
    return summary(found(batchId, caller));
  }

  /** Its pending tasks start again, as many as its limit allows. 409 unless it is paused. */
  public Summary resume(String batchId, Caller caller) {
    Batch batch = found(batchId, caller);
    if (batch.steering() != Batch.Steering.PAUSED) {
      throw new BatchConflictException(
          "batch is "
              + (batch.steering() == Batch.Steering.RUNNING ? "running" : "cancelled")
              + "; only a paused batch can be resumed");
    }
    steer(batchId, Batch.Steering.PAUSED, Batch.Steering.RUNNING);
    pacer.startNext(batchId);
    return summary(found(batchId, caller));
  }

  /** What a cancel did: the batch after it, and its tasks that were cancelled. */
  public record Cancelled(Summary batch, List<String> cancelled) {}

  /**
   * Cancels the batch: nothing more of it starts, then each pending and running task is cancelled
   * through the task's own cancel (its fence). 409 when it has finished (nothing to cancel) or was
   * cancelled already.
   */
  public Cancelled cancel(String batchId, Caller caller) {
    Batch batch = found(batchId, caller);
    if (batch.steering() == Batch.Steering.CANCELLED) {
      throw new BatchConflictException("batch is already cancelled");
    }
    List<Task> active =
        batches.tasks(batchId).stream()
            .filter(t -> t.status().active())
            // pending first: they must not start while the running ones are being cancelled
            .sorted(Comparator.comparing((Task t) -> t.status() != TaskStatus.PENDING))
            .toList();
    if (active.isEmpty()) {
      throw new BatchConflictException("batch has finished: no task is pending or running");
    }
    steer(batchId, batch.steering(), Batch.Steering.CANCELLED);
    List<String> cancelled = new ArrayList<>();
    for (Task t : active) {
      try {
        tasks.cancel(t.taskId(), caller);
        cancelled.add(t.taskId());
      } catch (TaskConflictException finishedMeanwhile) {
        // it finished between the read and its cancel: nothing to cancel
      }
    }
    return new Cancelled(summary(found(batchId, caller)), cancelled);
  }

  private void steer(String batchId, Batch.Steering from, Batch.Steering to) {
    if (!batches.steer(batchId, from, to)) {
      throw new BatchConflictException("batch has just changed; reload it");
    }
  }

  /**
   * After one of the batch's tasks was retried on its own: the retry is kept in the batch's
   * history, a cancelled batch runs again, and the task starts when the batch has room. The task as
   * it is now.
   */
  public Task afterTaskRetry(Task retried) {
    if (retried.batchId() == null) {
      return retried;
    }
    batches.recordRetry(
        retried.batchId(), new Batch.Retry(clock.instant(), Batch.Retry.TASK, 1, retried.taskId()));
    reopen(retried.batchId());
    pacer.start(retried.batchId(), List.of(retried));
    return taskStore.find(retried.taskId()).orElse(retried);
  }

  /** A retry in a cancelled batch runs it again (a paused one stays paused). */
  private void reopen(String batchId) {
    batches.steer(batchId, Batch.Steering.CANCELLED, Batch.Steering.RUNNING);
  }

  /** After tasks were retried in bulk: each of their batches starts what it has room for. */
  public void afterRetries(List<Task> retried) {
    Map<String, List<Task>> byBatch = new java.util.LinkedHashMap<>();
    for (Task t : retried) {
      if (t.batchId() != null) {
        taskStore
            .find(t.taskId())
            .ifPresent(
                now -> byBatch.computeIfAbsent(t.batchId(), b -> new ArrayList<>()).add(now));
      }
    }
    byBatch.forEach(
        (batchId, queued) -> {
          reopen(batchId);
          pacer.start(batchId, queued);
        });
  }

  /**
   * The batch, or 404 when unknown or another owner's (the same answer, so nothing leaks); an id
   * that cannot be a key of the table is not looked up (DynamoDB refuses long keys). A batch's
   * tasks all carry its owner, so the batch's check covers them.
   */
  private Batch found(String batchId, Caller caller) {
    if (!Ids.plausible(batchId)) {
      throw new BatchNotFoundException(batchId);
    }
    return batches
        .find(batchId)
        .filter(b -> caller.mayAccess(b.ownerId()))
        .orElseThrow(() -> new BatchNotFoundException(batchId));
  }

  /** The batch's failed tasks, most recently changed first. */
  public List<Task> failed(String batchId, Caller caller) {
    found(batchId, caller);
    return failedFirst(batches.tasks(batchId));
  }

  /**
   * Retries every failed task from its failed step through the normal retry path, and starts every
   * task left pending longer than {@link BatchConfig#strandedAfter()} (its creating request ended
   * before starting it). One task's refusal (a checkpoint gone, already retried by someone else,
   * Step Functions unavailable) is reported and does not stop the others.
   */
  public RetryReport retryFailed(String batchId, Caller caller) {
    found(batchId, caller);
    List<Task> members = batches.tasks(batchId);
    Instant strandedBefore = clock.instant().minus(config.strandedAfter());
    List<Task> failed = members.stream().filter(t -> t.status() == TaskStatus.FAILED).toList();
    java.util.Set<String> stranded =
        new java.util.HashSet<>(
            members.stream()
                .filter(
                    t ->
                        t.status() == TaskStatus.PENDING
                            && t.retryCount() == 0
                            && t.createdAt().isBefore(strandedBefore))
                .map(Task::taskId)
                .toList());
    // Each retried task is stored pending in its new run; the batch starts them as it has room.
    List<Outcome> retried =
        BoundedParallel.mapAll(
            failed, config.startConcurrency(), t -> retryOne(t.taskId(), caller));
    List<String> ok = succeeded(retried);
    List<Task> candidates = new ArrayList<>();
    members.stream().filter(t -> stranded.contains(t.taskId())).forEach(candidates::add);
    ok.stream().map(taskStore::find).flatMap(Optional::stream).forEach(candidates::add);
    if (!ok.isEmpty()) {
      batches.recordRetry(
          batchId, new Batch.Retry(clock.instant(), Batch.Retry.RETRY_FAILED, ok.size(), null));
      reopen(batchId);
    }
    List<Skipped> skipped = new ArrayList<>(skipped(retried));
    List<String> started = new ArrayList<>();
    // Only what this request retried and what was stranded: a task pending for seconds is still
    // being started by the request that created it (or waits for a slot its batch will give it).
    for (BatchPacer.Start s : pacer.start(batchId, candidates)) {
      if (stranded.contains(s.taskId())) {
        if (s.problem() == null) {
          started.add(s.taskId());
        } else {
          skipped.add(new Skipped(s.taskId(), s.problem()));
        }
      }
    }
    return new RetryReport(ok, started, skipped);
  }

  static List<String> succeeded(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.problem() == null).map(Outcome::taskId).toList();
  }

  static List<Skipped> skipped(List<Outcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o.problem() != null)
        .map(o -> new Skipped(o.taskId(), o.problem()))
        .toList();
  }

  /**
   * One task retried from its failed step; a refusal or an outage is its outcome, not an exception.
   */
  Outcome retryOne(String taskId, Caller caller) {
    try {
      tasks.retry(taskId, null, caller);
      return new Outcome(taskId, null);
    } catch (TaskConflictException | TaskNotFoundException | WorkflowUnavailableException e) {
      return new Outcome(taskId, e.getMessage());
    } catch (SdkException e) {
      // A DynamoDB error on one task: report it rather than abandon the rest of the batch.
      return new Outcome(taskId, "state table error: " + e.getMessage());
    }
  }

  private String hash(List<NewTask> inputs) {
    try {
      byte[] canonical = json.writeValueAsBytes(inputs);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
