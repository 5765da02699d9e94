package io.stepwise.tasks;

/** No task with this id (or it has expired). */
public class TaskNotFoundException extends RuntimeException {

  public TaskNotFoundException(String taskId) {
    super("task " + io.stepwise.model.Ids.quoted(taskId) + " does not exist");
  }
}
