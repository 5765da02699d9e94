package io.stepwise.tasks;

/**
 * The task exists and the caller may see it, but none of its checkpoints names an image of this
 * name.
 */
public class ImageNotFoundException extends RuntimeException {

  public ImageNotFoundException(String taskId, String name) {
    super("task " + taskId + " has no image '" + name + "'");
  }
}
