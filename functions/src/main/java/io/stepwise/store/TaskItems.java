package io.stepwise.store;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Review;
import io.stepwise.model.Run;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps tasks and their parts to DynamoDB items and back. Key formats are in {@link Keys}. */
final class TaskItems {

  private final JsonMapper json;
  private final String defaultPipeline;

  /** {@code defaultPipeline}: the pipeline of a task stored before tasks recorded theirs. */
  TaskItems(JsonMapper json, String defaultPipeline) {
    this.json = json;
    this.defaultPipeline = defaultPipeline;
  }

  /** The pipeline a stored task belongs to. */
  String pipelineOf(Map<String, AttributeValue> item) {
    String pipeline = Attrs.str(item, "pipeline");
    return pipeline == null ? defaultPipeline : pipeline;
  }

  boolean isDefaultPipeline(String pipeline) {
    return defaultPipeline.equals(pipeline);
  }

  Map<String, AttributeValue> toItem(Task t) {
    Attrs item =
        Attrs.of()
            .putAll(Keys.task(t.taskId()))
            .s("type", "task")
            .s("taskId", t.taskId())
            .s("pipeline", t.pipeline())
            .s("input", write(t.input()))
            .s("ownerId", t.ownerId())
            .s("currentStep", t.currentStep())
            .s("lastSuccessfulStep", t.lastSuccessfulStep())
            .put("steps", steps(t.steps()))
            .s("batchId", t.batchId())
            .s("idempotencyKey", t.idempotencyKey())
            .time("createdAt", t.createdAt())
            .epoch(StateTable.TTL_ATTRIBUTE, t.expiresAt())
            .n("version", t.version())
            .putAll(lifecycle(t));
    if (t.batchId() != null) {
      item.s(StateTable.BY_BATCH.partitionKey(), Keys.batchPartition(t.batchId()))
          .s(StateTable.BY_BATCH.sortKey(), "TASK#" + t.taskId());
    }
    return item.build();
  }

  /**
   * The attributes owned by the task lifecycle (see {@link Task}); null failure fields are absent.
   */
  Map<String, AttributeValue> lifecycle(Task t) {
    return Attrs.of()
        .s("status", t.status().wire())
        .s("failedStep", t.failedStep())
        .put("error", error(t.error()))
        .n("retryCount", t.retryCount())
        .s("currentRunId", t.currentRunId())
        .put("runs", runs(t.runs()))
        .time("updatedAt", t.updatedAt())
        .put("review", review(t.review()))
        .s(StateTable.BY_STATUS.partitionKey(), Keys.statusPartition(t.status()))
        .s(StateTable.BY_STATUS.sortKey(), Keys.activitySort(t.updatedAt(), t.taskId()))
        .build();
  }

  Task fromItem(Map<String, AttributeValue> item) {
    Map<String, StepState> steps = new HashMap<>();
    Attrs.map(item, "steps").ifPresent(m -> m.forEach((k, v) -> steps.put(k, stepState(v.m()))));
    return Task.builder()
        .taskId(Attrs.str(item, "taskId"))
        .pipeline(pipelineOf(item))
        .status(TaskStatus.fromWire(Attrs.str(item, "status")))
        .input(read(Attrs.str(item, "input")))
        .ownerId(Attrs.str(item, "ownerId"))
        .currentStep(Attrs.str(item, "currentStep"))
        .lastSuccessfulStep(Attrs.str(item, "lastSuccessfulStep"))
        .failedStep(Attrs.str(item, "failedStep"))
        .error(Attrs.map(item, "error").map(TaskItems::error).orElse(null))
        .retryCount((int) Attrs.num(item, "retryCount", 0))
        .currentRunId(Attrs.str(item, "currentRunId"))
        .runs(
            item.containsKey("runs")
                ? item.get("runs").l().stream().map(v -> run(v.m())).toList()
                : List.of())
        .steps(steps)
        .batchId(Attrs.str(item, "batchId"))
        .idempotencyKey(Attrs.str(item, "idempotencyKey"))
        .review(Attrs.map(item, "review").map(TaskItems::review).orElse(null))
        .version(Attrs.num(item, "version", 0))
        .createdAt(Attrs.time(item, "createdAt"))
        .updatedAt(Attrs.time(item, "updatedAt"))
        .expiresAt(Attrs.epoch(item, StateTable.TTL_ATTRIBUTE))
        .build();
  }

  AttributeValue stepState(StepState s) {
    return Attrs.of()
        .s("status", s.status().wire())
        .s("runId", s.runId())
        .n("attempts", s.attempts())
        .n("executions", s.executions())
        .time("startedAt", s.startedAt())
        .time("finishedAt", s.finishedAt())
        .n("durationMs", s.durationMs())
        .s("model", s.model())
        .put("error", error(s.error()))
        .epoch("checkpointExpiresAt", s.checkpointExpiresAt())
        .put("usage", UsageAttrs.of(s.usage()))
        .asMap();
  }

  private static StepState stepState(Map<String, AttributeValue> m) {
    return new StepState(
        StepStatus.fromWire(Attrs.str(m, "status")),
        Attrs.str(m, "runId"),
        (int) Attrs.num(m, "attempts", 0),
        (int) Attrs.num(m, "executions", 0),
        Attrs.time(m, "startedAt"),
        Attrs.time(m, "finishedAt"),
        Attrs.numOrNull(m, "durationMs"),
        Attrs.str(m, "model"),
        Attrs.map(m, "error").map(TaskItems::error).orElse(null),
        Attrs.epoch(m, "checkpointExpiresAt"),
        Attrs.map(m, "usage").map(UsageAttrs::stepUsage).orElse(null));
  }

  private AttributeValue steps(Map<String, StepState> steps) {
    Map<String, AttributeValue> m = new HashMap<>();
    steps.forEach((k, v) -> m.put(k, stepState(v)));
    return AttributeValue.fromM(m);
  }

  private AttributeValue runs(List<Run> runs) {
    return AttributeValue.fromL(
        runs.stream()
            .map(
                r ->
                    Attrs.of()
                        .s("runId", r.runId())
                        .s("executionArn", r.executionArn())
                        .s("startAt", r.startAt())
                        .s("status", r.status().wire())
                        .n("redriveCount", r.redriveCount())
                        .n("eventRank", r.eventRank())
                        .s("overrides", r.overrides() == null ? null : write(r.overrides()))
                        .put("reused", UsageAttrs.of(r.reused()))
                        .asMap())
            .toList());
  }

  private Run run(Map<String, AttributeValue> m) {
    String overrides = Attrs.str(m, "overrides");
    return new Run(
        Attrs.str(m, "runId"),
        Attrs.str(m, "executionArn"),
        Attrs.str(m, "startAt"),
        TaskStatus.fromWire(Attrs.str(m, "status")),
        (int) Attrs.num(m, "redriveCount", 0),
        (int) Attrs.num(m, "eventRank", -1),
        overrides == null ? null : read(overrides),
        UsageAttrs.usage(m, "reused"));
  }

  /** The task's input as stored, for a rerun that changed it. */
  AttributeValue input(Task t) {
    return AttributeValue.fromS(write(t.input()));
  }

  private static AttributeValue review(Review r) {
    return r == null
        ? null
        : Attrs.of()
            .s("step", r.step())
            .time("since", r.since())
            .time("expiresAt", r.expiresAt())
            .s("token", r.token())
            .s("decision", r.decision())
            .s("decidedBy", r.decidedBy())
            .time("decidedAt", r.decidedAt())
            .s("comment", r.comment())
            .asMap();
  }

  private static Review review(Map<String, AttributeValue> m) {
    return new Review(
        Attrs.str(m, "step"),
        Attrs.time(m, "since"),
        Attrs.time(m, "expiresAt"),
        Attrs.str(m, "token"),
        Attrs.str(m, "decision"),
        Attrs.str(m, "decidedBy"),
        Attrs.time(m, "decidedAt"),
        Attrs.str(m, "comment"));
  }

  private static AttributeValue error(TaskError e) {
    return e == null
        ? null
        : Attrs.of().s("step", e.step()).s("type", e.type()).s("message", e.message()).asMap();
  }

  private static TaskError error(Map<String, AttributeValue> m) {
    return new TaskError(Attrs.str(m, "step"), Attrs.str(m, "type"), Attrs.str(m, "message"));
  }

  private String write(JsonNode input) {
    try {
      return json.writeValueAsString(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode read(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable task input", e);
    }
  }
}
