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
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Many tasks at once: create and start them, count them by status, and retry the failed ones.
 *
 * <p>Every task goes through {@link TaskService}'s own create and retry paths, so the same guards
 * hold (version checks, checkpoint checks, deterministic execution names). Starts run with bounded
 * concurrency and back off when throttled; a task that still cannot be started is marked failed
 * with the reason and reported in the response, so no task is silently left behind. With an
 * Idempotency-Key the batch and task ids are derived from it: sending the same request again
 * returns the same batch and starts whatever was left pending.
 */
@Singleton
public class BatchService {

  private final BatchRepository batches;
  private final TaskService tasks;
  private final BatchConfig config;
  private final JsonMapper json;
  private final Clock clock;
  private final Retention store;

  public BatchService(
      BatchRepository batches,
      TaskService tasks,
      BatchConfig config,
      JsonMapper json,
      Clock clock,
      Retention store) {
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

  /** A batch with its tasks' statuses counted. */
  public record Summary(Batch batch, Map<TaskStatus, Long> stats, List<String> taskIds) {}

  /**
   * What retry-failed did: failed tasks retried, stranded pending tasks started, and those left
   * with why.
   */
  public record RetryReport(List<String> retried, List<String> started, List<Skipped> skipped) {}

  record Outcome(String taskId, @Nullable String problem) {}

  public int maxTasks() {
    return config.maxTasks();
  }

  public Created create(
      List<NewTask> inputs, @Nullable String idempotencyKey, @Nullable String ownerId) {
    if (inputs.isEmpty() || inputs.size() > config.maxTasks()) {
      throw new IllegalArgumentException("a batch holds 1 to " + config.maxTasks() + " tasks");
    }
    String hash = hash(inputs);
    String batchId =
        idempotencyKey == null
            ? UUID.randomUUID().toString()
            : UUID.nameUUIDFromBytes(
                    ("stepwise-batch\n" + ownerId + "\n" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    Instant now = clock.instant();
    Batch batch =
        new Batch(batchId, inputs.size(), hash, ownerId, now, now.plus(store.taskRetention()));
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
            i -> createOne(inputs.get(i), batchId + "#" + i, ownerId, batchId));
    return new Created(batchId, outcomes.stream().map(Outcome::taskId).toList(), skipped(outcomes));
  }

  private Outcome createOne(NewTask input, String key, @Nullable String ownerId, String batchId) {
    return launch(
        TaskService.taskIdFor(ownerId, key),
        () -> tasks.prepare(input.pipeline(), input.input(), key, ownerId, batchId));
  }

  /**
   * Starts a pending task (stored by {@code pending}), reporting rather than throwing why it could
   * not be, so one task's trouble does not abandon the rest of the batch.
   */
  private Outcome launch(String taskId, Supplier<Task> pending) {
    try {
      Task started = tasks.launch(pending.get());
      return new Outcome(
          taskId, neverStarted(started) ? "not started: " + started.error().message() : null);
    } catch (WorkflowUnavailableException e) {
      // TaskService has already marked the task failed with this reason: retry-failed will pick it
      // up.
      return new Outcome(taskId, "not started: " + e.getMessage());
    } catch (SdkException e) {
      // The state table failed for this task (it may be stored and pending, or not stored); the
      // same request
      // with its Idempotency-Key, or retry-failed once the task counts as stranded, completes it.
      return new Outcome(taskId, "not started, state table error: " + e.getMessage());
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
    Batch batch = found(batchId, caller);
    List<Task> members = batches.tasks(batchId);
    Map<TaskStatus, Long> stats = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      stats.put(s, 0L);
    }
    members.forEach(t -> stats.merge(t.status(), 1L, Long::sum));
    return new Summary(batch, stats, members.stream().map(Task::taskId).toList());
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
    return batches.tasks(batchId).stream()
        .filter(t -> t.status() == TaskStatus.FAILED)
        .sorted(Comparator.comparing(Task::updatedAt).reversed())
        .toList();
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
    List<Task> stranded =
        members.stream()
            .filter(t -> t.status() == TaskStatus.PENDING && t.createdAt().isBefore(strandedBefore))
            .toList();
    List<Outcome> retried =
        BoundedParallel.mapAll(
            failed, config.startConcurrency(), t -> retryOne(t.taskId(), caller));
    // Safe to repeat: the execution name is the task's, so a start that did happen is not made
    // twice.
    List<Outcome> started =
        BoundedParallel.mapAll(
            stranded, config.startConcurrency(), t -> launch(t.taskId(), () -> t));
    List<Skipped> skipped = new ArrayList<>(skipped(retried));
    skipped.addAll(skipped(started));
    return new RetryReport(succeeded(retried), succeeded(started), skipped);
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
