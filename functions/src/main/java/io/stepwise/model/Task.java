package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task as stored in its {@code TASK#<id>/META} item. Status, failure, runs and retry count belong
 * to the task lifecycle (API, record-failure, execution-events; every change conditional on {@code
 * version}); current step, last successful step and the per-step summaries belong to the step
 * runtime (conditional on {@code currentRunId}). The two writers never overwrite each other's
 * attributes.
 *
 * <p>Steps are named by their wire names within the task's {@code pipeline}; {@code input} is that
 * pipeline's input, validated and with its defaults applied at creation. Build one with {@link
 * #builder()}.
 */
public record Task(
    String taskId,
    String pipeline,
    TaskStatus status,
    JsonNode input,
    @Nullable String ownerId,
    @Nullable String currentStep,
    @Nullable String lastSuccessfulStep,
    @Nullable String failedStep,
    @Nullable TaskError error,
    int retryCount,
    String currentRunId,
    List<Run> runs,
    Map<String, StepState> steps,
    @Nullable String batchId,
    @Nullable String idempotencyKey,
    @Nullable Review review,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt) {

  public Task {
    runs = List.copyOf(runs);
    steps = Map.copyOf(steps);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this task's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public Optional<Run> run(String runId) {
    return runs.stream().filter(r -> r.runId().equals(runId)).findFirst();
  }

  public Optional<Run> currentRun() {
    return run(currentRunId);
  }

  /** The input field that asks for a person's review before the pipeline's review step goes on. */
  public static final String REVIEW_FIELD = "review";

  /**
   * Whether this task stops at its pipeline's review step ({@code "review": true} in its input).
   */
  public boolean reviewed() {
    JsonNode flag = input == null ? null : input.get(REVIEW_FIELD);
    return flag != null && flag.isBoolean() && flag.getBooleanValue();
  }

  /**
   * Whether this task shows {@code step}: every step of its pipeline, except the review step of a
   * task that skips it (no review asked for, none ever opened).
   */
  public boolean shows(Step step) {
    return !step.isReview() || reviewed() || steps.containsKey(step.name());
  }

  public StepStatus stepStatus(String step) {
    StepState state = steps.get(step);
    return state == null ? StepStatus.PENDING : state.status();
  }

  /** A lifecycle change: new status and failure details, stamped with the time of the change. */
  public Task withStatus(
      TaskStatus newStatus,
      @Nullable String newFailedStep,
      @Nullable TaskError newError,
      Instant now) {
    // An open review ends with the wait: its token answers nothing once the task moved on.
    Review kept =
        newStatus == TaskStatus.AWAITING_REVIEW || review == null || !review.isOpen()
            ? review
            : null;
    return toBuilder()
        .status(newStatus)
        .failedStep(newFailedStep)
        .error(newError)
        .updatedAt(now)
        .review(kept)
        .build();
  }

  public Task withVersion(long newVersion) {
    return toBuilder().version(newVersion).build();
  }

  /** Replaces the run with the same id. */
  public Task withRun(Run changed) {
    List<Run> updated = new ArrayList<>(runs);
    updated.replaceAll(r -> r.runId().equals(changed.runId()) ? changed : r);
    return toBuilder().runs(updated).build();
  }

  /** Starts a new run: running, no failure, retry count up, and the given steps marked stale. */
  public Task withNewRun(Run run, List<String> staleSteps, Instant now) {
    List<Run> updated = new ArrayList<>(runs);
    updated.add(run);
    Map<String, StepState> newSteps = new LinkedHashMap<>(steps);
    staleSteps.forEach(s -> newSteps.computeIfPresent(s, (k, v) -> v.withStatus(StepStatus.STALE)));
    return toBuilder()
        .status(TaskStatus.RUNNING)
        .failedStep(null)
        .error(null)
        .retryCount(updated.size() - 1)
        .currentRunId(run.runId())
        .review(null)
        .runs(updated)
        .steps(newSteps)
        .updatedAt(now)
        .build();
  }

  /** Named setters for the task's fields; unset lists and maps are empty, unset numbers zero. */
  public static final class Builder {
    private String taskId;
    private String pipeline;
    private TaskStatus status;
    private JsonNode input;
    private String ownerId;
    private String currentStep;
    private String lastSuccessfulStep;
    private String failedStep;
    private TaskError error;
    private int retryCount;
    private String currentRunId;
    private List<Run> runs = List.of();
    private Map<String, StepState> steps = Map.of();
    private String batchId;
    private String idempotencyKey;
    private Review review;
    private long version;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant expiresAt;

    private Builder() {}

    private Builder(Task t) {
      taskId = t.taskId;
      pipeline = t.pipeline;
      status = t.status;
      input = t.input;
      ownerId = t.ownerId;
      currentStep = t.currentStep;
      lastSuccessfulStep = t.lastSuccessfulStep;
      failedStep = t.failedStep;
      error = t.error;
      retryCount = t.retryCount;
      currentRunId = t.currentRunId;
      runs = t.runs;
      steps = t.steps;
      batchId = t.batchId;
      idempotencyKey = t.idempotencyKey;
      review = t.review;
      version = t.version;
      createdAt = t.createdAt;
      updatedAt = t.updatedAt;
      expiresAt = t.expiresAt;
    }

    public Builder taskId(String v) {
      taskId = v;
      return this;
    }

    public Builder pipeline(String v) {
      pipeline = v;
      return this;
    }

    public Builder status(TaskStatus v) {
      status = v;
      return this;
    }

    public Builder input(JsonNode v) {
      input = v;
      return this;
    }

    public Builder ownerId(@Nullable String v) {
      ownerId = v;
      return this;
    }

    public Builder currentStep(@Nullable String v) {
      currentStep = v;
      return this;
    }

    public Builder lastSuccessfulStep(@Nullable String v) {
      lastSuccessfulStep = v;
      return this;
    }

    public Builder failedStep(@Nullable String v) {
      failedStep = v;
      return this;
    }

    public Builder error(@Nullable TaskError v) {
      error = v;
      return this;
    }

    public Builder retryCount(int v) {
      retryCount = v;
      return this;
    }

    public Builder currentRunId(String v) {
      currentRunId = v;
      return this;
    }

    public Builder runs(List<Run> v) {
      runs = v;
      return this;
    }

    public Builder steps(Map<String, StepState> v) {
      steps = v;
      return this;
    }

    public Builder batchId(@Nullable String v) {
      batchId = v;
      return this;
    }

    public Builder idempotencyKey(@Nullable String v) {
      idempotencyKey = v;
      return this;
    }

    public Builder review(@Nullable Review v) {
      review = v;
      return this;
    }

    public Builder version(long v) {
      version = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public Builder expiresAt(Instant v) {
      expiresAt = v;
      return this;
    }

    public Task build() {
      return new Task(
          taskId,
          pipeline,
          status,
          input,
          ownerId,
          currentStep,
          lastSuccessfulStep,
          failedStep,
          error,
          retryCount,
          currentRunId,
          runs,
          steps,
          batchId,
          idempotencyKey,
          review,
          version,
          createdAt,
          updatedAt,
          expiresAt);
    }
  }
}
