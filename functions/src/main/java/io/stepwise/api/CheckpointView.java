package io.stepwise.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Times;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/tasks/{taskId}/checkpoint}: each step's status and, while it is kept, its output.
 */
@Serdeable
public record CheckpointView(String taskId, Map<String, Entry> steps) {

  /**
   * One step; output, runId and times are null when no unexpired checkpoint exists. {@code edits}:
   * the people who replaced the output the run wrote, oldest first (absent when none did).
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Entry(
      String status,
      @Nullable String runId,
      @Nullable @Schema(
              description = "the step's output: any JSON value",
              types = {"object", "array", "string", "number", "boolean", "null"})
          JsonNode output,
      @Nullable String finishedAt,
      @Nullable String expiresAt,
      @Nullable List<Edit> edits) {

    public Entry(
        String status,
        @Nullable String runId,
        @Nullable JsonNode output,
        @Nullable String finishedAt,
        @Nullable String expiresAt) {
      this(status, runId, output, finishedAt, expiresAt, null);
    }
  }

  /** Who replaced a step's output ({@code by}: null in open mode) and when. */
  @Serdeable
  public record Edit(@Nullable String by, String at) {}

  /** The checkpoint's edits as shown, or null when it has none. */
  static List<Edit> edits(Checkpoint checkpoint) {
    return checkpoint.edits().isEmpty()
        ? null
        : checkpoint.edits().stream().map(e -> new Edit(e.by(), Times.format(e.at()))).toList();
  }
}
