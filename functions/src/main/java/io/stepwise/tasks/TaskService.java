package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Ids;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Retention;
import io.stepwise.model.Review;
import io.stepwise.model.Run;
import io.stepwise.model.Step;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Usage;
import io.stepwise.tenancy.Caller;
import io.stepwise.usage.Budgets;
import io.stepwise.workflow.ExecutionInput;
import io.stepwise.workflow.ExecutionNames;
import io.stepwise.workflow.TaskTokenGoneException;
import io.stepwise.workflow.Workflow;
import io.stepwise.workflow.WorkflowThrottledException;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What users do with tasks: create, read, retry (from the failed step or a named one) and cancel.
 *
 * <p>Starting an execution is the one side effect outside the table. It is keyed by the execution
 * name {@code <taskId>--r<n>}: the run is written first (conditional on the task's version, so two
 * concurrent retries cannot both claim run n), then started; a repeated start of the same name and
 * input is a no-op in Step Functions. A throttled start is tried again after a pause ({@link
 * StartPacing}); if the start still fails, the task is put back to failed with the reason, so it is
 * never left pending unseen.
 */
@Singleton
public class TaskService {

  private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);

  private static final int MAX_CONFLICTS = 5;

  private final TaskRepository tasks;
  private final Workflow workflow;
  private final Clock clock;
  private final Duration taskRetention;
  private final StartPacing pacing;
  private final TaskOutcomes outcomes;
  private final Pipelines pipelines;
  private final PipelineInputs inputs;

  public TaskService(
      TaskRepository tasks,
      Workflow workflow,
      Clock clock,
      Retention retention,
      StartPacing pacing,
      TaskOutcomes outcomes,
      Pipelines pipelines,
      PipelineInputs inputs) {
    this.inputs = inputs;
    this.outcomes = outcomes;
    this.tasks = tasks;
    this.workflow = workflow;
    this.clock = clock;
    this.taskRetention = retention.taskRetention();
    this.pacing = pacing;
    this.pipelines = pipelines;
  }

  /**
   * Creates and starts a task. With an idempotency key, the task id is derived from owner and key,
   * so the same key returns the same task and starts no second execution.
   */
  public Task create(
      String pipeline,
      JsonNode input,
      @Nullable String idempotencyKey,
      @Nullable String ownerId,
      @Nullable String batchId) {
    return launch(prepare(pipeline, input, idempotencyKey, ownerId, batchId));
  }

  /**
   * Stores a new pending task, or returns the task already stored for the same idempotency key (422
   * when that key came with a different input). Starts nothing: see {@link #launch}.
   */
  public Task prepare(
      String pipelineName,
      JsonNode input,
      @Nullable String idempotencyKey,
      @Nullable String ownerId,
      @Nullable String batchId) {
    Pipeline pipeline = pipelines.get(pipelineName);
    String taskId =
        idempotencyKey == null ? UUID.randomUUID().toString() : taskIdFor(ownerId, idempotencyKey);
    Instant now = clock.instant();
    String runId = ExecutionNames.runId(0);
    String arn = workflow.executionArn(pipeline.name(), ExecutionNames.name(taskId, 0));
    Run run = new Run(runId, arn, pipeline.first().name(), TaskStatus.PENDING, 0, -1);
    Task task =
        Task.builder()
            .taskId(taskId)
            .pipeline(pipeline.name())
            .status(TaskStatus.PENDING)
            .input(input)
            .ownerId(ownerId)
            .currentRunId(runId)
            .runs(List.of(run))
            .batchId(batchId)
            .idempotencyKey(idempotencyKey)
            .createdAt(now)
            .updatedAt(now)
            .expiresAt(now.plus(taskRetention))
            .build();
    if (tasks.insert(task)) {
      return task;
    }
    Task existing =
        tasks
            .find(taskId)
            .orElseThrow(
                () ->
                    new TaskConflictException("task " + taskId + " is being replaced; try again"));
    if (!existing.pipeline().equals(pipeline.name()) || !existing.input().equals(input)) {
      throw new IdempotencyKeyReusedException(taskId);
    }
    return existing;
  }

  /**
   * The id of the task an owner creates with this Idempotency-Key: the same key always names the
   * same task.
   */
  public static String taskIdFor(@Nullable String ownerId, String idempotencyKey) {
    return UUID.nameUUIDFromBytes(
            ("stepwise\n" + ownerId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Starts a pending task's first execution and marks it running. A task past pending is returned
   * as it is; an earlier attempt that stored the task but did not start it is completed here.
   */
  public Task launch(Task task) {
    if (task.status() != TaskStatus.PENDING) {
      return task;
    }
    start(task);
    return markStarted(task);
  }

  /**
   * In-process use (tests, tools) with no caller to check: the open mode. The API passes its
   * caller.
   */
  public TaskRecord get(String taskId) {
    return get(taskId, Caller.OPEN);
  }

  /**
   * The task with its checkpoints; 404 when unknown or not the caller's (the same answer, so
   * nothing leaks).
   */
  public TaskRecord get(String taskId, Caller caller) {
    plausible(taskId);
    return tasks
        .load(taskId)
        .filter(r -> caller.mayAccess(r.task().ownerId()))
        .orElseThrow(() -> new TaskNotFoundException(taskId));
  }

  /** The task if this caller may see it; an unknown task and another owner's are the same 404. */
  Task visible(String taskId, Caller caller) {
    plausible(taskId);
    return find(taskId, caller);
  }

  private Task find(String taskId, Caller caller) {
    return tasks
        .find(taskId)
        .filter(t -> caller.mayAccess(t.ownerId()))
        .orElseThrow(() -> new TaskNotFoundException(taskId));
  }

  /**
   * An id that cannot be a key of the table names no task; DynamoDB is not asked (it refuses long
   * keys).
   */
  private static void plausible(String taskId) {
    if (!Ids.plausible(taskId)) {
      throw new TaskNotFoundException(taskId);
    }
  }

  /**
   * What run {@code runId} wrote, by step; call after {@link #get(String, Caller)} has checked the
   * caller.
   */
  public Map<String, Checkpoint> runCheckpoints(String taskId, String runId) {
    return tasks.runCheckpoints(taskId, runId);
  }

  public TaskRepository.TaskPage list(
      @Nullable TaskStatus status, int limit, @Nullable String cursor) {
    return list(status, limit, cursor, Caller.OPEN);
  }

  /** The caller's tasks, newest first (every owner's for an operator or in open mode). */
  public TaskRepository.TaskPage list(
      @Nullable TaskStatus status, int limit, @Nullable String cursor, Caller caller) {
    return list(status, null, limit, cursor, caller);
  }

  /**
   * As {@link #list(TaskStatus, int, String, Caller)}, only {@code pipeline}'s tasks unless it is
   * null.
   */
  public TaskRepository.TaskPage list(
      @Nullable TaskStatus status,
      @Nullable String pipeline,
      int limit,
      @Nullable String cursor,
      Caller caller) {
    return tasks.list(status, pipeline, limit, cursor, caller.ownerFilter());
  }

  public Map<TaskStatus, Long> stats() {
    return stats(Caller.OPEN);
  }

  /** The caller's tasks counted by status (every owner's for an operator or in open mode). */
  public Map<TaskStatus, Long> stats(Caller caller) {
    return stats(null, caller);
  }

  /** The caller's tasks of {@code pipeline} (every pipeline's when null) counted by status. */
  public Map<TaskStatus, Long> stats(@Nullable String pipeline, Caller caller) {
    return tasks.countByStatus(caller.ownerFilter(), pipeline);
  }

  /**
   * Retries a failed or cancelled task with a new run, from {@code from} or, when null, from where
   * it failed. Refuses when an earlier step's checkpoint that the start step needs is gone.
   */
  public Task retry(String taskId, @Nullable String from) {
    return retry(taskId, from, Caller.OPEN);
  }

  /**
   * {@link #retry(String, String)} on the caller's own task (any task for an operator); 404
   * otherwise.
   */
  public Task retry(String taskId, @Nullable String from, Caller caller) {
    return retry(taskId, from, null, caller);
  }

  /**
   * A retry as {@link #retry(String, String, Caller)}, or a rerun: with a named step, a succeeded
   * task runs again from there. {@code overrides} (a JSON object, or null) changes input fields for
   * this run and later ones; each must be read by the start step or a later one (else 409 naming
   * the step to start from), and the changed input is validated as a new task's would be. Earlier
   * runs' checkpoints stay as they were. A batch's task is stored pending in its new run and
   * started by its batch when a run slot is free ({@code io.stepwise.batches.BatchPacer}).
   */
  public Task retry(
      String taskId, @Nullable String from, @Nullable JsonNode overrides, Caller caller) {
    TaskRecord record = get(taskId, caller);
    Task task = record.task();
    Pipeline pipeline = pipelines.get(task.pipeline());
    Step named =
        from == null ? null : pipeline.step(from).orElseThrow(() -> unknownStep(pipeline, from));
    if (task.status() == TaskStatus.SUCCEEDED && named == null) {
      throw new TaskConflictException(
          "task succeeded; to run it again, name the step to rerun from: POST /api/tasks/"
              + taskId
              + "/retry/{step}");
    }
    if (!task.status().retryable() && task.status() != TaskStatus.SUCCEEDED) {
      throw new TaskConflictException(
          "task is "
              + task.status().wire()
              + "; only failed, cancelled or (from a named step) succeeded tasks can be run again");
    }
    Step startAt = named != null ? named : record.resumePoint(pipeline);
    JsonNode input =
        overrides == null ? task.input() : overridden(task, pipeline, startAt, overrides);
    if (startAt.isReview() && !task.toBuilder().input(input).build().reviewed()) {
      throw new TaskConflictException(
          "task "
              + taskId
              + " has no review; to review it, rerun from "
              + startAt.name()
              + " with {\"overrides\":{\"review\":true}}");
    }
    Step earliest = record.earliestStartFor(pipeline, startAt);
    if (!earliest.equals(startAt)) {
      throw new TaskConflictException(
          "cannot start at "
              + startAt.name()
              + ": the checkpoint of "
              + earliest.name()
              + " is missing or expired; retry from "
              + earliest.name(),
          earliest.name());
    }
    int n = task.retryCount() + 1;
    String name = ExecutionNames.name(taskId, n);
    // A batch's task waits for a run slot of its batch like its first run did: stored pending, its
    // batch starts it when it has room (BatchPacer), so a retry never exceeds the batch's limit.
    boolean queued = task.batchId() != null;
    TaskStatus first = queued ? TaskStatus.PENDING : TaskStatus.RUNNING;
    Run run =
        new Run(
            ExecutionNames.runId(n),
            workflow.executionArn(pipeline.name(), name),
            startAt.name(),
            first,
            0,
            -1,
            overrides == null || overrides.size() == 0 ? null : overrides,
            reused(record, pipeline, startAt));
    List<String> stale = pipeline.fromHere(startAt).stream().map(Step::name).toList();
    Task next =
        task.withNewRun(run, stale, clock.instant()).toBuilder().input(input).status(first).build();
    // the outputs this run will replace stay readable under the runs that wrote them
    tasks.archiveCheckpoints(
        taskId,
        pipeline.fromHere(startAt).stream()
            .filter(s -> record.checkpoints().containsKey(s.name()))
            .toList());
    Task started =
        tasks
            .startRun(task, next, stale)
            .orElseThrow(
                () ->
                    new TaskConflictException(
                        "task is already being retried or has just changed; reload it"));
    if (queued) {
      return started;
    }
    start(started);
    // A cancel stored between the run's write and the start stopped nothing (the execution did not
    // exist yet).
    tasks
        .find(taskId)
        .filter(t -> t.status() == TaskStatus.CANCELLED && run.runId().equals(t.currentRunId()))
        .ifPresent(t -> stopQuietly(run.executionArn()));
    return started;
  }

  /**
   * What the outputs a run starting at {@code startAt} reads instead of producing again had cost:
   * the usage of every usable checkpoint before it; null when they cost nothing.
   */
  private static Usage reused(TaskRecord record, Pipeline pipeline, Step startAt) {
    Usage reused = Usage.NONE;
    for (Step s : pipeline.steps()) {
      if (s.index() >= startAt.index()) {
        break;
      }
      reused = reused.plus(record.usableCheckpoint(s.name()).map(Checkpoint::usage).orElse(null));
    }
    return reused.equals(Usage.NONE) ? null : reused;
  }

  /**
   * Cancels a pending or running task. The cancel is a fence: it is stored first (conditional on
   * the version), which voids the current run — the step runtime starts no body for a cancelled
   * task — and only then is the execution stopped. An execution that a racing retry starts after
   * the stop runs no step either. The task may be retried later.
   */
  public Task cancel(String taskId) {
    return cancel(taskId, Caller.OPEN);
  }

  /** {@link #cancel(String)} on the caller's own task (any task for an operator); 404 otherwise. */
  public Task cancel(String taskId, Caller caller) {
    plausible(taskId);
    Task task = find(taskId, caller);
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      if (!task.status().active()) {
        throw new TaskConflictException("task is already " + task.status().wire());
      }
      Run run = task.currentRun().orElseThrow();
      // Terminal rank: a late RUNNING event of this execution cannot revive the task; a redrive
      // still can.
      Run cancelledRun =
          run.withEvent(
              TaskStatus.CANCELLED,
              run.redriveCount(),
              Math.max(run.eventRank(), run.redriveCount() * 2 + 1));
      Task cancelled =
          task.withStatus(TaskStatus.CANCELLED, null, null, clock.instant()).withRun(cancelledRun);
      Optional<Task> stored = tasks.update(task, cancelled);
      if (stored.isPresent()) {
        failReviewToken(task);
        stopQuietly(run.executionArn());
        outcomes.finished(stored.get());
        // The answer is the task as it is now: a step that started between the read above and the
        // write shows as started (its checkpoint is not part of the condition); none starts after
        // the write, the cancel fences them.
        return tasks.find(taskId).orElse(stored.get());
      }
      task = tasks.find(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
      if (task.status() == TaskStatus.CANCELLED) {
        return task; // cancelled meanwhile (another cancel, or the execution stopped from the
        // console)
      }
    }
    throw new TaskConflictException("task kept changing while cancelling; try again");
  }

  /** The error a cancel answers a waiting review's task token with. */
  public static final String CANCELLED_ERROR = "Stepwise.TaskCancelled";

  /**
   * Fails the open review's task token of a task just cancelled, so its execution stops waiting at
   * once (the stop that follows ends it too); a token that waits no more is fine.
   */
  private void failReviewToken(Task before) {
    Review review = before.review();
    if (review == null || !review.isOpen() || review.token() == null) {
      return;
    }
    try {
      workflow.sendTaskFailure(review.token(), CANCELLED_ERROR, "the task was cancelled");
    } catch (TaskTokenGoneException | WorkflowUnavailableException e) {
      LOG.info(
          "task {}: review token not failed ({}); the stop ends the execution",
          before.taskId(),
          e.getMessage());
    }
  }

  /**
   * Stops an execution whose run is already void. If Step Functions cannot be reached the execution
   * runs on, but its steps refuse to start, so the cancel holds; the failure is logged, not
   * returned.
   */
  private void stopQuietly(String executionArn) {
    try {
      workflow.stop(executionArn, "cancelled through the API");
    } catch (WorkflowUnavailableException e) {
      LOG.warn(
          "cancelled task's execution {} could not be stopped now; its steps will refuse to run: {}",
          executionArn,
          e.getMessage());
    }
  }

  /**
   * The task's input with {@code overrides} applied (top-level fields replaced), validated by the
   * pipeline's input reader. A field an earlier step than {@code startAt} has read is a conflict:
   * that step's output came from the old value, so the rerun must start there.
   */
  private JsonNode overridden(Task task, Pipeline pipeline, Step startAt, JsonNode overrides) {
    if (!overrides.isObject()) {
      throw new InvalidInputException(
          "'overrides' must be an object of input fields, e.g. {\"language\":\"en\"}");
    }
    PipelineInput reader = inputs.of(pipeline.name());
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    task.input().entries().forEach(e -> merged.put(e.getKey(), e.getValue()));
    overrides.entries().forEach(e -> merged.put(e.getKey(), e.getValue()));
    // budgetUsd is the platform's, not the pipeline's (Budgets): a rerun may raise it, never lower
    JsonNode budget = merged.remove(Budgets.FIELD);
    // so is review: read by the review step
    JsonNode review = merged.remove(Task.REVIEW_FIELD);
    if (review != null && !review.isBoolean()) {
      throw new InvalidInputException("'overrides.review' must be true or false");
    }
    if (review != null && review.getBooleanValue() && pipeline.review().isEmpty()) {
      throw new InvalidInputException(
          "'overrides.review': pipeline " + pipeline.name() + " has no review step");
    }
    // first what any new task would be told (unknown fields, wrong values: 400), then what only a
    // rerun is
    JsonNode input = reader.parse(JsonNode.createObjectNode(merged), "overrides.");
    if (budget != null) {
      input = withBudget(input, budget(task, overrides, budget));
    }
    if (review != null && review.getBooleanValue()) {
      input = with(input, Task.REVIEW_FIELD, JsonNode.createBooleanNode(true));
    }
    Map<String, String> readBy = reader.readBy();
    for (Map.Entry<String, JsonNode> field : overrides.entries()) {
      if (field.getKey().equals(Budgets.FIELD)) {
        continue; // read by every model call, from the run's first step on
      }
      String reads =
          field.getKey().equals(Task.REVIEW_FIELD)
              ? Step.REVIEW
              : readBy.containsKey(field.getKey())
                  ? readBy.get(field.getKey())
                  : pipeline.first().name();
      if (reads != null
          && pipeline.step(reads).map(s -> s.index() < startAt.index()).orElse(false)) {
        throw new TaskConflictException(
            "'"
                + field.getKey()
                + "' is read by "
                + reads
                + ", before "
                + startAt.name()
                + ": to change it, rerun from "
                + reads,
            reads);
      }
    }
    return input;
  }

  /** The budget after a rerun's overrides: a new one must be valid and not below the old one. */
  private static BigDecimal budget(Task task, JsonNode overrides, JsonNode budget) {
    if (overrides.get(Budgets.FIELD) == null) {
      return Budgets.of(task.input()).orElseThrow();
    }
    BigDecimal raised;
    try {
      raised = Budgets.parse(budget, "overrides.");
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    Optional<BigDecimal> was = Budgets.of(task.input());
    if (was.isPresent() && raised.compareTo(was.get()) < 0) {
      throw new InvalidInputException(
          "'overrides.budgetUsd' may raise the budget, not lower it below "
              + was.get().toPlainString());
    }
    return raised;
  }

  private static JsonNode withBudget(JsonNode input, BigDecimal budget) {
    return with(input, Budgets.FIELD, JsonNode.createNumberNode(budget));
  }

  private static JsonNode with(JsonNode input, String field, JsonNode value) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    input.entries().forEach(e -> fields.put(e.getKey(), e.getValue()));
    fields.put(field, value);
    return JsonNode.createObjectNode(fields);
  }

  static InvalidInputException unknownStep(Pipeline pipeline, String step) {
    return new InvalidInputException(
        "unknown step '"
            + step
            + "'; the steps of "
            + pipeline.name()
            + " are "
            + String.join(", ", pipeline.stepNames()));
  }

  private void start(Task task) {
    Run run = task.currentRun().orElseThrow();
    try {
      startPaced(
          task.pipeline(),
          ExecutionNames.name(task.taskId(), task.retryCount()),
          new ExecutionInput(task.taskId(), run.runId(), run.startAt(), task.reviewed()));
    } catch (WorkflowUnavailableException e) {
      TaskError error = new TaskError(run.startAt(), "WorkflowUnavailable", e.getMessage());
      Task failed =
          task.withStatus(TaskStatus.FAILED, run.startAt(), error, clock.instant())
              .withRun(run.withEvent(TaskStatus.FAILED, 0, run.eventRank()));
      // Best effort: if the task changed meanwhile, its own state is newer (and its own change
      // reports it).
      tasks.update(task, failed).ifPresent(outcomes::finished);
      throw e;
    }
  }

  /**
   * Fails a pending task that cannot be started (the reconciler found it stranded and its start was
   * refused), with a reason that says so; a task that changed meanwhile is left as it is.
   */
  public void failUnstartable(Task task, String reason) {
    if (task.status() != TaskStatus.PENDING) {
      return;
    }
    Run run = task.currentRun().orElseThrow();
    TaskError error =
        new TaskError(run.startAt(), "NotStarted", "the task could not be started: " + reason);
    Task failed =
        task.withStatus(TaskStatus.FAILED, run.startAt(), error, clock.instant())
            .withRun(run.withEvent(TaskStatus.FAILED, 0, run.eventRank()));
    tasks.update(task, failed).ifPresent(outcomes::finished);
  }

  /**
   * Safe to repeat: the same name and input while the execution runs is a no-op in Step Functions.
   */
  private void startPaced(String pipeline, String name, ExecutionInput input) {
    for (int attempt = 1; ; attempt++) {
      try {
        workflow.start(pipeline, name, input);
        return;
      } catch (WorkflowThrottledException e) {
        if (attempt >= pacing.attempts()) {
          throw e;
        }
        pause(pacing.delayAfter(attempt), e);
      }
    }
  }

  private static void pause(Duration delay, WorkflowThrottledException cause) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  /**
   * Pending → running once its first execution has started (unless an execution event was faster).
   */
  private Task markStarted(Task task) {
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      if (task.status() != TaskStatus.PENDING) {
        return task;
      }
      Run run = task.currentRun().orElseThrow();
      Task running =
          task.withStatus(TaskStatus.RUNNING, null, null, clock.instant())
              .withRun(run.withEvent(TaskStatus.RUNNING, run.redriveCount(), run.eventRank()));
      Optional<Task> stored = tasks.update(task, running);
      if (stored.isPresent()) {
        return stored.get();
      }
      task =
          tasks.find(task.taskId()).orElseThrow(() -> new TaskNotFoundException(running.taskId()));
    }
    return task;
  }
}
