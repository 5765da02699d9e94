package io.stepwise.tasks;

import io.stepwise.model.TaskRecord;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A pipeline's final output as {@code GET /api/tasks/{id}/result} serves it, and the images its checkpoints
 * name. Each pipeline has one bean, {@code @Named} with the pipeline's name (as {@link PipelineInput}): the
 * core knows only that a result is some JSON-serialisable value built from the task's checkpoints.
 */
public interface PipelineResult {

  /**
   * The result of a succeeded task, from its checkpoints. {@code imageUrl} turns an image name (one
   * {@link #image} resolves) into the URL the API serves it at.
   */
  Object result(TaskRecord task, UnaryOperator<String> imageUrl);

  /** The image of this name, when one of the task's unexpired checkpoints names it. */
  Optional<Image> image(TaskRecord task, String name);

  /** Where an image lives in the blob store, and what it is. */
  record Image(String blobKey, String contentType) {}
}
