package io.stepwise.store;

import io.micronaut.json.JsonMapper;
import io.stepwise.steps.StepName;
import io.stepwise.steps.StepStatus;
import io.stepwise.tasks.Run;
import io.stepwise.tasks.StepState;
import io.stepwise.tasks.Task;
import io.stepwise.tasks.TaskError;
import io.stepwise.tasks.TaskInput;
import io.stepwise.tasks.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps tasks and their parts to DynamoDB items and back. Key formats are in {@link Keys}. */
final class TaskItems {

  private final JsonMapper json;

  TaskItems(JsonMapper json) {
    this.json = json;
  }

  Map<String, AttributeValue> toItem(Task t) {
    Attrs item =
        Attrs.of()
            .putAll(Keys.task(t.taskId()))
            .s("type", "task")
            .s("taskId", t.taskId())
            .s("input", write(t.input()))
            .s("ownerId", t.ownerId())
            .s("currentStep", wire(t.currentStep()))
            .s("lastSuccessfulStep", wire(t.lastSuccessfulStep()))
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

  /** The attributes owned by the task lifecycle (see {@link Task}); null failure fields are absent. */
  Map<String, AttributeValue> lifecycle(Task t) {
    return Attrs.of()
        .s("status", t.status().wire())
        .s("failedStep", wire(t.failedStep()))
        .put("error", error(t.error()))
        .n("retryCount", t.retryCount())
        .s("currentRunId", t.currentRunId())
        .put("runs", runs(t.runs()))
        .time("updatedAt", t.updatedAt())
        .s(StateTable.BY_STATUS.partitionKey(), Keys.statusPartition(t.status()))
        .s(StateTable.BY_STATUS.sortKey(), Keys.activitySort(t.updatedAt(), t.taskId()))
        .build();
  }

  Task fromItem(Map<String, AttributeValue> item) {
    Map<StepName, StepState> steps = new EnumMap<>(StepName.class);
    Attrs.map(item, "steps")
        .ifPresent(m -> m.forEach((k, v) -> StepName.fromWire(k).ifPresent(s -> steps.put(s, stepState(v.m())))));
    return new Task(
        Attrs.str(item, "taskId"),
        TaskStatus.fromWire(Attrs.str(item, "status")),
        read(Attrs.str(item, "input")),
        Attrs.str(item, "ownerId"),
        step(Attrs.str(item, "currentStep")),
        step(Attrs.str(item, "lastSuccessfulStep")),
        step(Attrs.str(item, "failedStep")),
        Attrs.map(item, "error").map(TaskItems::error).orElse(null),
        (int) Attrs.num(item, "retryCount", 0),
        Attrs.str(item, "currentRunId"),
        item.containsKey("runs") ? item.get("runs").l().stream().map(v -> run(v.m())).toList() : List.of(),
        steps,
        Attrs.str(item, "batchId"),
        Attrs.str(item, "idempotencyKey"),
        Attrs.num(item, "version", 0),
        Attrs.time(item, "createdAt"),
        Attrs.time(item, "updatedAt"),
        Attrs.epoch(item, StateTable.TTL_ATTRIBUTE));
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
        Attrs.epoch(m, "checkpointExpiresAt"));
  }

  private AttributeValue steps(Map<StepName, StepState> steps) {
    Map<String, AttributeValue> m = new HashMap<>();
    steps.forEach((k, v) -> m.put(k.wire(), stepState(v)));
    return AttributeValue.fromM(m);
  }

  private static AttributeValue runs(List<Run> runs) {
    return AttributeValue.fromL(
        runs.stream()
            .map(
                r ->
                    Attrs.of()
                        .s("runId", r.runId())
                        .s("executionArn", r.executionArn())
                        .s("startAt", r.startAt().wire())
                        .s("status", r.status().wire())
                        .n("redriveCount", r.redriveCount())
                        .n("eventRank", r.eventRank())
                        .asMap())
            .toList());
  }

  private static Run run(Map<String, AttributeValue> m) {
    return new Run(
        Attrs.str(m, "runId"),
        Attrs.str(m, "executionArn"),
        step(Attrs.str(m, "startAt")),
        TaskStatus.fromWire(Attrs.str(m, "status")),
        (int) Attrs.num(m, "redriveCount", 0),
        (int) Attrs.num(m, "eventRank", -1));
  }

  private static AttributeValue error(TaskError e) {
    return e == null
        ? null
        : Attrs.of().s("step", e.step()).s("type", e.type()).s("message", e.message()).asMap();
  }

  private static TaskError error(Map<String, AttributeValue> m) {
    return new TaskError(Attrs.str(m, "step"), Attrs.str(m, "type"), Attrs.str(m, "message"));
  }

  private static String wire(StepName step) {
    return step == null ? null : step.wire();
  }

  private static StepName step(String wire) {
    return wire == null ? null : StepName.fromWire(wire).orElseThrow();
  }

  private String write(TaskInput input) {
    try {
      return json.writeValueAsString(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TaskInput read(String text) {
    try {
      return json.readValue(text, TaskInput.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable task input", e);
    }
  }
}
