package io.stepwise.tasks;

import io.micronaut.json.tree.JsonNode;
import java.util.Map;

/**
 * A pipeline's task input: how a request body becomes the input a task stores, and the JSON Schema
 * of it. Each pipeline has one bean, {@code @Named} with the pipeline's name.
 */
public interface PipelineInput {

  /**
   * Validates one task body (a JSON object, without the {@code pipeline} field) and applies the
   * configured defaults, so every retry of the task does the same thing. Unknown fields, wrong
   * types and out-of-range values are an {@link InvalidInputException} naming the field, prefixed
   * with {@code path} (e.g. {@code tasks[3].}).
   */
  JsonNode parse(JsonNode body, String path);

  /** The JSON Schema (draft 2020-12) of a request body, as {@code GET /api/pipelines} serves it. */
  Map<String, Object> schema();

  /**
   * For each input field, the first step that reads it (wire name), or null for a field no step
   * reads (a note). A rerun may change a field only when it starts at or before that step: an
   * earlier step has already consumed it. A field missing here counts as read by the first step.
   */
  default Map<String, String> readBy() {
    return Map.of();
  }
}
