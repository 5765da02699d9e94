package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * {@code GET /api/tasks/{taskId}/checkpoint}: each step's status and, while it is kept, its output.
 */
@Serdeable
public record CheckpointView(String taskId, Map<String, Entry> steps) {

  /** One step; output, runId and times are null when no unexpired checkpoint exists. */
  @Serdeable
  public record Entry(
      String status,
      @Nullable String runId,
      @Nullable @Schema(
              description = "the step's output: any JSON value",
              types = {"object", "array", "string", "number", "boolean", "null"})
          JsonNode output,
      @Nullable String finishedAt,
      @Nullable String expiresAt) {}
}
