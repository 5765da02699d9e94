package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What each function of the catalogue may reach, decided from its catalogue entry (trigger,
 * pipeline and step) and not from a list of handler classes. The stack turns each {@link Access}
 * into IAM statements and environment; a function the rules do not cover stops synthesis rather
 * than deploying with a guess.
 *
 * <ul>
 *   <li>a pipeline step: its task's items, the blob bucket (large outputs, images, reports); and,
 *       if it calls models ({@code usesModels} in its catalogue entry), the model keys, the model
 *       router's health items and adding its calls to the model usage items;
 *   <li>record-failure (a state machine's Catch target): task items;
 *   <li>execution-events (status changes): task and batch items, the indexes, and starting
 *       executions (a batch's next pending task, once one of its tasks has ended);
 *   <li>the HTTP API: tasks, batches, model health, reading model usage, reading alerts, the
 *       indexes, reading blobs, and the executions of every pipeline's state machine;
 *   <li>health-check: model health items, the model keys, adding a model's status change to the
 *       alert history, and sending it to the default event bus;
 *   <li>alerts: the indexes (finished, quiet and pending tasks), reading model health, and the
 *       alert items;
 *   <li>reconciler: task and batch items, the indexes, describing executions, and starting the
 *       execution of a pending task whose start was cut short (a batch's within its run limit).
 * </ul>
 */
final class FunctionAccess {

  /** One kind of thing a function may reach. */
  enum Access {
    /** Read and write {@code TASK#} items: tasks and their step checkpoints. */
    TASKS,
    /**
     * Read and write {@code BATCH#} items (batches and their run slots), and read the slot holders'
     * {@code TASK#} items in one BatchGetItem.
     */
    BATCHES,
    /** Read and write {@code MODEL#} items: the health check's probe results. */
    MODEL_HEALTH,
    /** Read {@code MODEL#} items and put a model in cooldown: the model router inside a step. */
    MODEL_ROUTING,
    /**
     * Add calls to {@code USAGE#} items (UpdateItem only): a model-calling step's model gateway.
     */
    MODEL_USAGE_WRITE,
    /** Query {@code USAGE#} items: the API's model usage statistics. */
    MODEL_USAGE_READ,
    /** Query the state table's secondary indexes (list by status, tasks of a batch). */
    TASK_INDEXES,
    /** The model API keys: each secret's ARN in the environment, and reading its value. */
    MODEL_KEYS,
    /** Get and put objects of the blob bucket. */
    BLOBS_READ_WRITE,
    /**
     * Get objects of the blob bucket (also what a presigned image link, signed with the role, rests
     * on).
     */
    BLOBS_READ,
    /** Read and write {@code ALERT#} items: the alerts function's states and transitions. */
    ALERTS,
    /** Query {@code ALERT#} items: {@code GET /api/alerts}. */
    ALERTS_READ,
    /** Put {@code ALERT#} items only: the health check's model status changes. */
    ALERT_HISTORY_WRITE,
    /** Read {@code MODEL#} items (their latest state, one BatchGetItem): the alerts function. */
    MODEL_HEALTH_READ,
    /** Put events on the default event bus: the health check's "Model health changed". */
    MODEL_EVENTS,
    /** Start, stop, describe, redrive and list the executions of every pipeline's state machine. */
    EXECUTIONS,
    /** Describe the executions of every pipeline's state machine (the reconciler). */
    DESCRIBE_EXECUTIONS,
    /**
     * Start executions of every pipeline's state machine, nothing else (the reconciler: a pending
     * task whose start was cut short; execution-events: a batch's next pending task).
     */
    START_EXECUTIONS
  }

  private FunctionAccess() {}

  static Set<Access> of(Handler handler) {
    if (handler.isStep()) {
      Set<Access> step = EnumSet.of(Access.TASKS, Access.BLOBS_READ_WRITE);
      if (callsModels(handler)) {
        step.addAll(List.of(Access.MODEL_ROUTING, Access.MODEL_KEYS, Access.MODEL_USAGE_WRITE));
      }
      return step;
    }
    return switch (handler.trigger()) {
      case HTTP_API ->
          EnumSet.of(
              Access.TASKS,
              Access.BATCHES,
              Access.MODEL_HEALTH,
              Access.MODEL_USAGE_READ,
              Access.ALERTS_READ,
              Access.TASK_INDEXES,
              Access.BLOBS_READ,
              Access.EXECUTIONS);
      // Not a step but invoked by a state machine: the Catch target that records a terminal
      // failure.
      case STATE_MACHINE -> EnumSet.of(Access.TASKS);
      // Status changes; when a batch's task ends, its batch's next pending task is started (run
      // slots are BATCH# items, the pending tasks come from the by-batch index).
      case EXECUTION_EVENTS ->
          EnumSet.of(Access.TASKS, Access.BATCHES, Access.TASK_INDEXES, Access.START_EXECUTIONS);
      // Schedules differ in what they do (the reconciler will read tasks and executions): by name,
      // not trigger.
      case SCHEDULE -> {
        if (handler.functionName().equals(Handlers.HEALTH_CHECK)) {
          yield EnumSet.of(
              Access.MODEL_HEALTH,
              Access.MODEL_KEYS,
              Access.ALERT_HISTORY_WRITE,
              Access.MODEL_EVENTS);
        }
        if (handler.functionName().equals(Handlers.ALERTS)) {
          yield EnumSet.of(Access.TASK_INDEXES, Access.MODEL_HEALTH_READ, Access.ALERTS);
        }
        if (handler.functionName().equals(Handlers.RECONCILER)) {
          yield EnumSet.of(
              Access.TASKS,
              Access.BATCHES,
              Access.TASK_INDEXES,
              Access.DESCRIBE_EXECUTIONS,
              Access.START_EXECUTIONS);
        }
        throw new IllegalStateException(
            "no access rule for the scheduled function "
                + handler.functionName()
                + ": add one to FunctionAccess");
      }
    };
  }

  /**
   * A step that calls model providers, as its pipeline declares ({@code StepHandler.usesModels}).
   */
  static boolean callsModels(Handler handler) {
    return handler.isStep() && handler.usesModels();
  }
}
