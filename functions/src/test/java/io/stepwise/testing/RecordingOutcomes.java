package io.stepwise.testing;

import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskOutcomes;
import java.util.ArrayList;
import java.util.List;

/** Keeps every task it is told has finished, in order. */
public final class RecordingOutcomes implements TaskOutcomes {

  private final List<Task> finished = new ArrayList<>();

  @Override
  public synchronized void finished(Task task) {
    finished.add(task);
  }

  public synchronized List<Task> finished() {
    return List.copyOf(finished);
  }

  public synchronized List<TaskStatus> statuses() {
    return finished.stream().map(Task::status).toList();
  }
}
