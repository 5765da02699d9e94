package io.stepwise.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a retry may start and where "retry from the failed step" starts, as pure functions of a
 * task's step summaries and the checkpoints its Query returned.
 *
 * <p>Each table row gives the three steps' states, in order, as one letter each: {@code S}
 * succeeded with its checkpoint, {@code M} succeeded but its checkpoint is missing (expired items
 * are not returned by the store), {@code T} stale (checkpoint still stored), {@code F} failed,
 * {@code R} running, {@code -} never ran.
 */
class TaskRecordTest {

  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private static final Pipeline PIPELINE =
      new Pipeline(
          "rules-test",
          "pipelines/rules-test.asl.json",
          List.of(
              new Step("gather", "Gather", 0),
              new Step("summarise", "Summarise", 1),
              new Step("write_report", "WriteReport", 2)));

  @ParameterizedTest(name = "[{0}] wanting {1} → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "S S F | write_report | write_report",
        "S S F | summarise    | summarise",
        "S S F | gather       | gather",
        "S F - | write_report | summarise",
        "M S F | write_report | gather",
        "S M F | write_report | summarise",
        "M M F | summarise    | gather",
        "T S F | write_report | gather",
        "S T S | write_report | summarise",
        "S R - | write_report | summarise",
        "- - - | write_report | gather",
        "- - - | gather       | gather",
        "F - - | gather       | gather",
        "M - - | gather       | gather",
      })
  void earliestStartFor_isFirstEarlierStepWithoutUsableCheckpoint_elseTheWantedStep(
      String states, String wanted, String expected) {
    TaskRecord record = record(states, null);

    assertThat(record.earliestStartFor(PIPELINE, PIPELINE.require(wanted)).name())
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] failedStep={1} → {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "S F -  | summarise    | summarise",
        "S S F  | write_report | write_report",
        "F - -  | gather       | gather",
        "M S F  | write_report | write_report",
        "S - -  | analyze      | gather",
        "S S -  | null         | write_report",
        "S - -  | null         | summarise",
        "- - -  | null         | gather",
        "S T S  | null         | summarise",
        "M S S  | null         | gather",
        "S R -  | null         | summarise",
        "S S S  | null         | write_report",
      })
  void resumePoint_isTheFailedStep_elseTheFirstStepWithoutUsableCheckpoint(
      String states, String failedStep, String expected) {
    TaskRecord record = record(states, failedStep);

    assertThat(record.resumePoint(PIPELINE).name()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] {1} usable: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "S - - | gather | true",
        "M - - | gather | false",
        "T - - | gather | false",
        "F - - | gather | false",
        "R - - | gather | false",
        "- - - | gather | false",
      })
  void usableCheckpoint_onlyForASucceededStepWhoseCheckpointIsThere(
      String states, String step, boolean usable) {
    assertThat(record(states, null).usableCheckpoint(step).isPresent()).isEqualTo(usable);
  }

  /** A task record of run r0 with the steps in the given states (see the class comment). */
  private static TaskRecord record(String states, String failedStep) {
    String[] codes = states.trim().split("\\s+");
    Map<String, StepState> steps = new LinkedHashMap<>();
    Map<String, Checkpoint> checkpoints = new HashMap<>();
    for (Step step : PIPELINE.steps()) {
      String code = codes[step.index()];
      StepStatus status =
          switch (code) {
            case "S", "M" -> StepStatus.SUCCEEDED;
            case "T" -> StepStatus.STALE;
            case "F" -> StepStatus.FAILED;
            case "R" -> StepStatus.RUNNING;
            case "-" -> null;
            default -> throw new IllegalArgumentException("unknown step code " + code);
          };
      if (status != null) {
        steps.put(
            step.name(),
            new StepState(status, "r0", 1, 1, AT, AT, 1L, null, null, AT.plusSeconds(86_400)));
      }
      if (code.equals("S") || code.equals("T")) {
        checkpoints.put(
            step.name(), new Checkpoint(step.name(), "r0", "{}", AT, AT.plusSeconds(86_400)));
      }
    }
    Task task =
        Task.builder()
            .taskId("task-1")
            .pipeline(PIPELINE.name())
            .status(TaskStatus.FAILED)
            .input(JsonNode.createObjectNode(Map.of()))
            .failedStep(failedStep)
            .currentRunId("r0")
            .steps(steps)
            .createdAt(AT)
            .updatedAt(AT)
            .expiresAt(AT.plusSeconds(86_400 * 30L))
            .build();
    return new TaskRecord(task, checkpoints, Map.of());
  }
}
