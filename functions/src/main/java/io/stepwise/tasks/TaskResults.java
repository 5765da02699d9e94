package io.stepwise.tasks;

import io.micronaut.context.BeanLocator;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.json.JsonMapper;
import io.stepwise.blobs.BlobStore;
import io.stepwise.model.Pipelines;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.tenancy.Caller;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a task made: its pipeline's result once it has succeeded, and the images its checkpoints
 * name. Both apply the caller's tenancy through {@link TaskService#get(String, Caller)} (another
 * owner's task is the unknown-id 404). An image name is only ever looked up among the names the
 * task's own checkpoints give, never turned into a path or key, so no name can reach another
 * object; the pattern refuses the rest early.
 */
@Singleton
public class TaskResults {

  /** How long a redirect to the blob store stays valid (5 minutes, docs/api.md). */
  public static final Duration LINK_VALIDITY = Duration.ofMinutes(5);

  private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final TaskService tasks;
  private final BeanLocator beans;
  private final Optional<BlobStore> blobs;
  private final Pipelines pipelines;
  private final JsonMapper json;

  public TaskResults(
      TaskService tasks,
      BeanLocator beans,
      Optional<BlobStore> blobs,
      Pipelines pipelines,
      JsonMapper json) {
    this.tasks = tasks;
    this.beans = beans;
    this.blobs = blobs;
    this.pipelines = pipelines;
    this.json = json;
  }

  /**
   * The result of a succeeded task; a {@link TaskConflictException} (409) while it is not
   * succeeded.
   */
  public Object result(String taskId, Caller caller, UnaryOperator<String> imageUrl) {
    TaskRecord record = tasks.get(taskId, caller);
    TaskStatus status = record.task().status();
    if (status != TaskStatus.SUCCEEDED) {
      throw new TaskConflictException(
          "task " + taskId + " is " + status.wire() + "; its result exists once it has succeeded");
    }
    return resultOf(record.task().pipeline()).result(record, imageUrl);
  }

  /**
   * An image: its bytes, or where the blob store serves it directly (a presigned link). Served
   * whenever an unexpired checkpoint names it, so a task that failed after rendering shows its
   * cards too.
   */
  public ImageContent image(String taskId, String name, Caller caller) {
    TaskRecord record = tasks.get(taskId, caller);
    if (!IMAGE_NAME.matcher(name).matches() || name.contains("..")) {
      throw new ImageNotFoundException(taskId, name);
    }
    PipelineResult.Image image =
        resultOf(record.task().pipeline())
            .image(record, name)
            .orElseThrow(() -> new ImageNotFoundException(taskId, name));
    BlobStore store = blobs.orElseThrow(() -> new ImageNotFoundException(taskId, name));
    Optional<URI> link = store.presignedGet(image.blobKey(), LINK_VALIDITY);
    if (link.isPresent()) {
      return new ImageContent(image.contentType(), null, link.get());
    }
    byte[] bytes =
        store.get(image.blobKey()).orElseThrow(() -> new ImageNotFoundException(taskId, name));
    return new ImageContent(image.contentType(), bytes, null);
  }

  /** The pipeline's own result bean; without one, its last step's output. */
  private PipelineResult resultOf(String pipeline) {
    return beans
        .findBean(PipelineResult.class, Qualifiers.byName(pipeline))
        .orElseGet(() -> new LastStepOutput(json, pipelines.get(pipeline).last().name()));
  }

  /** Exactly one of {@code bytes} and {@code redirect} is set. */
  public record ImageContent(String contentType, byte[] bytes, URI redirect) {}
}
