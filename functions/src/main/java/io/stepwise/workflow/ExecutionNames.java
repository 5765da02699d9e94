package io.stepwise.workflow;

import java.util.Optional;

/**
 * Execution names are {@code <taskId>--r<n>} for run n of a task (n = 0 for the first run), with
 * run id {@code r<n>}. Deterministic names make starts idempotent: Step Functions refuses a second
 * execution with the same name, and returns the running one for a repeated identical start.
 */
public final class ExecutionNames {

  private static final String SEPARATOR = "--r";

  private ExecutionNames() {}

  public static String runId(int run) {
    return "r" + run;
  }

  public static String name(String taskId, int run) {
    return taskId + SEPARATOR + run;
  }

  public static Optional<ExecutionInput> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    int at = name.lastIndexOf(SEPARATOR);
    if (at <= 0 || !name.substring(at + SEPARATOR.length()).matches("\\d{1,6}")) {
      return Optional.empty();
    }
    return Optional.of(
        new ExecutionInput(
            name.substring(0, at), "r" + name.substring(at + SEPARATOR.length()), null));
  }
}
