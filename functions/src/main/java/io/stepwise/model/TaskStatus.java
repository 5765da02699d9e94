package io.stepwise.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of a task. Only failed and cancelled tasks can be retried; only pending and running
 * ones cancelled.
 */
public enum TaskStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean retryable() {
    return this == FAILED || this == CANCELLED;
  }

  public boolean active() {
    return this == PENDING || this == RUNNING;
  }

  public static TaskStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  public static Optional<TaskStatus> parse(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
  }
}
