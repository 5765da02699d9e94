package io.stepwise.tasks;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.TaskRecord;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The result of a pipeline that declares no {@link PipelineResult} of its own: its last step's
 * output while that checkpoint is kept, as JSON (the dashboard shows it as such: result kind {@code
 * json}), and no images.
 */
final class LastStepOutput implements PipelineResult {

  private final JsonMapper json;
  private final String lastStep;

  LastStepOutput(JsonMapper json, String lastStep) {
    this.json = json;
    this.lastStep = lastStep;
  }

  @Override
  public Object result(TaskRecord task, UnaryOperator<String> imageUrl) {
    return PipelineResult.requiredOutput(json, task, lastStep, JsonNode.class);
  }

  @Override
  public Optional<Image> image(TaskRecord task, String name) {
    return Optional.empty();
  }
}
