package io.stepwise.tasks;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A task to create: its pipeline and its input, already validated by that pipeline, defaults
 * applied.
 */
@Serdeable
public record NewTask(String pipeline, JsonNode input) {}
