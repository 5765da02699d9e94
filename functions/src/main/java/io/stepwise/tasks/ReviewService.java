package io.stepwise.tasks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Review;
import io.stepwise.model.Run;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.tenancy.Caller;
import io.stepwise.workflow.TaskTokenGoneException;
import io.stepwise.workflow.Workflow;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person in the loop (docs/architecture.md, "Review and edits"): a task's execution waits at its
 * pipeline's review step until someone approves or rejects what the step before it made, and a
 * step's output can be replaced by a person's edit.
 *
 * <p>Every change is a conditional write on the task's version, so of two reviewers deciding at
 * once exactly one wins (the other is told 409), and a decision and an edit never cross: an edit is
 * stored only while the task is still as its author saw it. The decision is stored first and only
 * then sent to Step Functions; if Step Functions cannot be reached the decision is taken back and
 * the caller told to try again.
 */
@Singleton
public class ReviewService {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewService.class);
  private static final int MAX_CONFLICTS = 8;

  /** The error a rejected review's execution fails with (not caught: the execution ends). */
  public static final String REJECTED_ERROR = "Stepwise.ReviewRejected";

  private final TaskRepository tasks;
  private final Workflow workflow;
  private final Clock clock;
  private final Pipelines pipelines;
  private final TaskOutcomes outcomes;
  private final JsonMapper json;
  private final TaskService taskService;

  public ReviewService(
      TaskService taskService,
      TaskRepository tasks,
      Workflow workflow,
      Clock clock,
      Pipelines pipelines,
      TaskOutcomes outcomes,
      JsonMapper json) {
    this.taskService = taskService;
    this.tasks = tasks;
    this.workflow = workflow;
    this.clock = clock;
    this.pipelines = pipelines;
    this.outcomes = outcomes;
    this.json = json;
  }

  /**
   * The review function's part: run {@code runId} of the task has reached its review step, whose
   * task token is {@code token}. The task becomes {@code awaiting_review} with the review open
   * until the step's timeout. Safe to repeat: a repeated invocation (a retry, or a redrive, which
   * brings a new token) stores the newest token. A cancelled or replaced run is refused with a
   * terminal error, as the step runtime refuses to start a step of one.
   *
   * @return the task as stored
   */
  public Task open(String taskId, String runId, int redriveCount, String token) {
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      Task task =
          tasks
              .find(taskId)
              .orElseThrow(
                  () -> new TerminalStepException("task " + taskId + " is gone (expired)"));
      if (!runId.equals(task.currentRunId())) {
        throw new TerminalStepException(
            "run " + runId + " of task " + taskId + " was replaced; no review is opened for it");
      }
      Run run = task.currentRun().orElseThrow();
      if (task.status() == TaskStatus.CANCELLED && redriveCount <= run.redriveCount()) {
        throw new TerminalStepException(
            "task " + taskId + " was cancelled; run " + runId + " is void and opens no review");
      }
      Pipeline pipeline = pipelines.get(task.pipeline());
      Step review =
          pipeline
              .review()
              .orElseThrow(
                  () ->
                      new TerminalStepException(
                          "pipeline " + pipeline.name() + " has no review step"));
      Instant now = clock.instant();
      Review open =
          Review.open(
              review.reviews(), now, now.plus(Duration.ofSeconds(review.timeoutSeconds())), token);
      StepState was = task.steps().get(Step.REVIEW);
      boolean sameRun = was != null && runId.equals(was.runId());
      StepState waiting =
          new StepState(
              StepStatus.RUNNING,
              runId,
              sameRun ? was.attempts() + 1 : 1,
              (was == null ? 0 : was.executions()) + 1,
              now,
              null,
              null,
              null,
              null,
              null);
      Map<String, StepState> steps = new LinkedHashMap<>(task.steps());
      steps.put(Step.REVIEW, waiting);
      // A late RUNNING event of this redrive must not take the task back to running.
      Run waitingRun =
          run.withEvent(
              TaskStatus.RUNNING,
              Math.max(run.redriveCount(), redriveCount),
              Math.max(run.eventRank(), redriveCount * 2));
      Task awaiting =
          task.withStatus(TaskStatus.AWAITING_REVIEW, null, null, now).toBuilder()
              .review(open)
              .steps(steps)
              .build()
              .withRun(waitingRun);
      Optional<Task> stored = tasks.update(task, awaiting);
      if (stored.isPresent()) {
        LOG.atInfo()
            .addKeyValue("taskId", taskId)
            .addKeyValue("step", review.reviews())
            .addKeyValue("expiresAt", open.expiresAt())
            .log(
                "task {} awaits review of {} until {}", taskId, review.reviews(), open.expiresAt());
        return stored.get();
      }
    }
    throw new IllegalStateException(
        "task " + taskId + " kept changing while its review opened; gave up");
  }

  /**
   * Approves or rejects the open review of the caller's task (any task for an operator): approve
   * lets the execution go on to the step after the review, which reads the reviewed (perhaps
   * edited) output; reject ends the task as {@code rejected} with the comment. 404 for a task the
   * caller may not see, 409 when the task does not await review (decided already, cancelled,
   * expired).
   */
  public Task decide(String taskId, String decision, @Nullable String comment, Caller caller) {
    if (!Review.APPROVE.equals(decision) && !Review.REJECT.equals(decision)) {
      throw new InvalidInputException(
          "'decision' must be \"approve\" or \"reject\"; it is \"" + decision + "\"");
    }
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      Task task = taskService.visible(taskId, caller);
      Review review = openReview(task);
      Instant now = clock.instant();
      Review decided = review.decided(decision, caller.sub(), now, comment);
      Task next = decided(task, decided, now);
      Optional<Task> stored = tasks.update(task, next);
      if (stored.isEmpty()) {
        continue; // changed meanwhile: read again; a decision that came first makes this a 409
      }
      try {
        if (Review.APPROVE.equals(decision)) {
          workflow.sendTaskSuccess(
              review.token(),
              "{\"step\":\"" + Step.REVIEW + "\",\"status\":\"approved\",\"reused\":false}");
        } else {
          workflow.sendTaskFailure(
              review.token(),
              REJECTED_ERROR,
              comment == null || comment.isBlank() ? "rejected by the reviewer" : comment);
        }
      } catch (TaskTokenGoneException gone) {
        // The execution stopped waiting (expired or stopped) between the read and the answer: its
        // own status event tells the task what happened.
        LOG.warn(
            "task {}: review decided but the execution no longer waits: {}",
            taskId,
            gone.getMessage());
      } catch (WorkflowUnavailableException unreachable) {
        undo(stored.get(), task);
        throw new DecisionNotSentException(unreachable);
      }
      if (!stored.get().status().active()) {
        outcomes.finished(stored.get());
      }
      LOG.atInfo()
          .addKeyValue("taskId", taskId)
          .addKeyValue("decision", decision)
          .log("task {}: review {}d", taskId, decision);
      return stored.get();
    }
    throw new TaskConflictException("task kept changing while deciding its review; try again");
  }

  /**
   * The task after a decision: running again (approve) or rejected, the review step's summary
   * closed.
   */
  private static Task decided(Task task, Review decided, Instant now) {
    boolean approved = Review.APPROVE.equals(decided.decision());
    StepState was = task.steps().get(Step.REVIEW);
    Map<String, StepState> steps = new LinkedHashMap<>(task.steps());
    TaskError rejection =
        approved
            ? null
            : new TaskError(
                Step.REVIEW,
                REJECTED_ERROR,
                "rejected"
                    + (decided.decidedBy() == null ? "" : " by " + decided.decidedBy())
                    + (decided.comment() == null || decided.comment().isBlank()
                        ? ""
                        : ": " + decided.comment()));
    if (was != null) {
      steps.put(
          Step.REVIEW,
          new StepState(
              approved ? StepStatus.SUCCEEDED : StepStatus.FAILED,
              was.runId(),
              was.attempts(),
              was.executions(),
              was.startedAt(),
              now,
              was.startedAt() == null ? null : Duration.between(was.startedAt(), now).toMillis(),
              null,
              rejection,
              null));
    }
    Run run = task.currentRun().orElseThrow();
    Task next =
        approved
            ? task.withStatus(TaskStatus.RUNNING, null, null, now)
            : task.withStatus(TaskStatus.REJECTED, Step.REVIEW, rejection, now)
                // terminal rank: the execution's FAILED event (the rejection) changes nothing more
                .withRun(
                    run.withEvent(
                        TaskStatus.REJECTED,
                        run.redriveCount(),
                        Math.max(run.eventRank(), run.redriveCount() * 2 + 1)));
    return next.toBuilder().review(decided).steps(steps).build();
  }

  /** Puts a decision that could not be sent back, unless the task changed again meanwhile. */
  private void undo(Task stored, Task before) {
    Task reopened = before.toBuilder().updatedAt(clock.instant()).build();
    if (tasks.update(stored, reopened).isEmpty()) {
      LOG.warn(
          "task {}: a review decision that was not sent could not be taken back (the task changed)",
          before.taskId());
    }
  }

  /**
   * Replaces {@code stepName}'s output with {@code output}, validated against the step's rules (422
   * naming every broken rule, nothing stored). Allowed while the task awaits review of that step
   * (the step after the review reads the edit) and once the task has finished (then {@code POST
   * /retry/<next step>} continues from the edit). The output the run wrote stays readable under the
   * run ({@code ?run=}).
   */
  public Checkpoint edit(String taskId, String stepName, JsonNode output, Caller caller) {
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      Task visible = taskService.visible(taskId, caller);
      TaskRecord record = tasks.load(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
      Task task = record.task();
      if (task.version() != visible.version()) {
        continue;
      }
      Pipeline pipeline = pipelines.get(task.pipeline());
      Step step =
          pipeline.step(stepName).orElseThrow(() -> TaskService.unknownStep(pipeline, stepName));
      if (step.isReview()) {
        throw new InvalidInputException("the review step has no output to edit");
      }
      boolean underReview =
          task.status() == TaskStatus.AWAITING_REVIEW
              && task.review() != null
              && stepName.equals(task.review().step());
      if (task.status().active() && !underReview) {
        throw new TaskConflictException(
            "task is "
                + task.status().wire()
                + "; a step's output can be edited while the task awaits review of that step, or"
                + " once the task has finished");
      }
      Checkpoint current =
          record
              .usableCheckpoint(stepName)
              .orElseThrow(
                  () ->
                      new TaskConflictException(
                          "step "
                              + stepName
                              + " has no output to edit (it is "
                              + task.stepStatus(stepName).wire()
                              + ", or its output expired)"));
      List<String> violations =
          pipelines.definition(pipeline.name()).outputViolations(stepName, output);
      if (!violations.isEmpty()) {
        throw new OutputRejectedException(stepName, violations);
      }
      Instant now = clock.instant();
      if (tasks.editCheckpoint(
          task, step, current.edits().size(), write(output), caller.sub(), now)) {
        LOG.atInfo()
            .addKeyValue("taskId", taskId)
            .addKeyValue("step", stepName)
            .log("task {}: output of {} edited", taskId, stepName);
        return tasks
            .load(taskId)
            .flatMap(r -> Optional.ofNullable(r.checkpoints().get(stepName)))
            .orElseThrow();
      }
    }
    throw new TaskConflictException("task kept changing while its output was edited; reload it");
  }

  /** The tasks awaiting review the caller may decide, oldest wait first. */
  public TaskRepository.TaskPage awaiting(
      @Nullable String pipeline, int limit, @Nullable String cursor, Caller caller) {
    return tasks.awaitingReview(pipeline, limit, cursor, caller.ownerFilter());
  }

  private static Review openReview(Task task) {
    Review review = task.review();
    if (task.status() != TaskStatus.AWAITING_REVIEW || review == null || !review.isOpen()) {
      String decided =
          review != null && !review.isOpen()
              ? " (its review was decided: " + review.decision() + ")"
              : "";
      throw new TaskConflictException(
          "task is "
              + task.status().wire()
              + decided
              + "; only a task awaiting review can be decided");
    }
    return review;
  }

  private String write(JsonNode output) {
    try {
      return json.writeValueAsString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
