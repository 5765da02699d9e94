package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.TaskError;
import io.stepwise.model.Usage;
import io.stepwise.steps.ItemProgress;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A task as the API shows it (docs/api.md, {@code GET /api/tasks/{taskId}}). Times are ISO-8601
 * UTC. {@code usage} is what the task's model calls cost over every run (each step's in {@code
 * steps[].usage}); {@code savedUsd} what the results that retries, redrives, reruns and recoveries
 * reused instead of calling again had cost.
 */
@Serdeable
public record TaskView(
    String taskId,
    String pipeline,
    String status,
    JsonNode input,
    @Nullable String currentStep,
    @Nullable String lastSuccessfulStep,
    @Nullable String failedStep,
    boolean resumable,
    @Nullable TaskError error,
    int retryCount,
    List<RunView> runs,
    List<StepView> steps,
    @Nullable String batchId,
    String createdAt,
    String updatedAt,
    UsageView usage,
    double savedUsd,
    @Nullable ReviewView review) {

  /**
   * The task's review: what is under review, since and until when, and once decided, the decision
   * (the execution's task token is never shown).
   */
  @Serdeable
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record ReviewView(
      String step,
      String since,
      String expiresAt,
      @Nullable String decision,
      @Nullable String decidedBy,
      @Nullable String decidedAt,
      @Nullable String comment) {

    static ReviewView of(@Nullable io.stepwise.model.Review r) {
      return r == null
          ? null
          : new ReviewView(
              r.step(),
              io.stepwise.model.Times.format(r.since()),
              io.stepwise.model.Times.format(r.expiresAt()),
              r.decision(),
              r.decidedBy(),
              r.decidedAt() == null ? null : io.stepwise.model.Times.format(r.decidedAt()),
              r.comment());
    }
  }

  /**
   * What model calls cost: answered calls, tokens as the providers reported them ({@code
   * estimatedCalls} of the calls had theirs estimated), USD at the configured prices.
   */
  @Serdeable
  public record UsageView(
      int calls, long inputTokens, long outputTokens, double costUsd, int estimatedCalls) {

    public static UsageView of(Usage u) {
      Usage usage = Usage.orNone(u);
      return new UsageView(
          usage.calls(),
          usage.inputTokens(),
          usage.outputTokens(),
          usd(usage.costUsd()),
          usage.estimatedCalls());
    }

    /** USD to a millionth of a cent: no float noise in sums shown. */
    public static double usd(double value) {
      return BigDecimal.valueOf(value).setScale(8, RoundingMode.HALF_UP).doubleValue();
    }
  }

  /** One execution of the task. */
  @Serdeable
  public record RunView(
      String runId,
      String executionArn,
      String startAt,
      String status,
      int redriveCount,
      @Nullable @Schema(types = {"object", "null"}) JsonNode overrides) {}

  /**
   * One step's state; {@code progress} ({@code {done, total}}) while a per-item step runs and its
   * item plan is known, else null.
   */
  @Serdeable
  public record StepView(
      String name,
      String status,
      int attempts,
      int executions,
      @Nullable String startedAt,
      @Nullable String finishedAt,
      @Nullable Long durationMs,
      @Nullable String model,
      @Nullable TaskError error,
      @Nullable Integer attempt,
      @Nullable String nextAttemptAt,
      @Nullable ItemProgress progress,
      UsageView usage) {}

  /** A page of tasks. */
  @Serdeable
  public record Page(List<TaskView> items, @Nullable String nextCursor) {}
}
