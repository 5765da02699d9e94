package io.stepwise.tasks;

import io.stepwise.model.Ids;

/** No task with this id (or it has expired). */
public class TaskNotFoundException extends RuntimeException {

  public TaskNotFoundException(String taskId) {
    super("task " + Ids.quoted(taskId) + " does not exist");
  }
}
