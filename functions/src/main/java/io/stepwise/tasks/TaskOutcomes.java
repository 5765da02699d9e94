package io.stepwise.tasks;

import io.stepwise.model.Task;

/**
 * Told once each time a task reaches a final status (succeeded, failed, cancelled), after the
 * change is stored. Implementations must not throw: a task's state change never fails because a
 * side channel did.
 */
public interface TaskOutcomes {

  void finished(Task task);
}
