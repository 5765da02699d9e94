package io.stepwise.tasks;

import io.stepwise.model.Run;
import io.stepwise.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line (logger {@code stepwise.tasks}) each time a task is created or its status changes,
 * written by the store once the change is stored: how the local console, and CloudWatch Logs on
 * AWS, follow tasks without reading the table. Ids and statuses only: no input, no output, nothing
 * a user wrote. The ids and statuses are the event's key-value pairs too, fields of the JSON line
 * on Lambda.
 */
public final class TaskChanges {

  private static final Logger LOG = LoggerFactory.getLogger("stepwise.tasks");

  private TaskChanges() {}

  public static void created(Task task) {
    LOG.atInfo()
        .addKeyValue("taskId", task.taskId())
        .addKeyValue("pipeline", task.pipeline())
        .addKeyValue("status", task.status().wire())
        .log("task {} ({}) {}", task.taskId(), task.pipeline(), task.status().wire());
  }

  public static void stored(Task before, Task after) {
    boolean newRun =
        after.currentRunId() != null && !after.currentRunId().equals(before.currentRunId());
    if (before.status() == after.status() && !newRun) {
      return;
    }
    StringBuilder line =
        new StringBuilder()
            .append(before.status().wire())
            .append(" → ")
            .append(after.status().wire());
    if (newRun) {
      after
          .currentRun()
          .map(Run::startAt)
          .ifPresent(
              step ->
                  line.append(", run ").append(after.currentRunId()).append(" from ").append(step));
    }
    if (after.error() != null) {
      line.append(", ").append(after.error().type());
      if (after.failedStep() != null) {
        line.append(" at ").append(after.failedStep());
      }
    }
    LOG.atInfo()
        .addKeyValue("taskId", after.taskId())
        .addKeyValue("pipeline", after.pipeline())
        .addKeyValue("runId", after.currentRunId())
        .addKeyValue("status", after.status().wire())
        .addKeyValue("previousStatus", before.status().wire())
        .log("task {} ({}) {}", after.taskId(), after.pipeline(), line);
  }
}
