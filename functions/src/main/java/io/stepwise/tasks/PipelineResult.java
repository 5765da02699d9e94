package io.stepwise.tasks;

import io.micronaut.json.JsonMapper;
import io.stepwise.model.TaskRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A pipeline's final output as {@code GET /api/tasks/{id}/result} serves it, and the images its
 * checkpoints name. Each pipeline has one bean, {@code @Named} with the pipeline's name (as {@link
 * PipelineInput}): the core knows only that a result is some JSON-serialisable value built from the
 * task's checkpoints.
 */
public interface PipelineResult {

  /**
   * The result of a succeeded task, from its checkpoints. {@code imageUrl} turns an image name (one
   * {@link #image} resolves) into the URL the API serves it at.
   */
  Object result(TaskRecord task, UnaryOperator<String> imageUrl);

  /** The image of this name, when one of the task's unexpired checkpoints names it. */
  Optional<Image> image(TaskRecord task, String name);

  /** The step's output, while its checkpoint is kept. */
  static <T> Optional<T> output(JsonMapper json, TaskRecord task, String step, Class<T> type) {
    return task.usableCheckpoint(step)
        .map(
            cp -> {
              try {
                return json.readValue(cp.outputJson(), type);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * The step's output; a conflict once its checkpoint has expired (the result is then no longer
   * kept).
   */
  static <T> T requiredOutput(JsonMapper json, TaskRecord task, String step, Class<T> type) {
    return output(json, task, step, type)
        .orElseThrow(
            () ->
                new TaskConflictException(
                    "the "
                        + step
                        + " checkpoint of task "
                        + task.task().taskId()
                        + " has expired: its result is no longer kept"));
  }

  /** Where an image lives in the blob store, and what it is. */
  record Image(String blobKey, String contentType) {}
}
