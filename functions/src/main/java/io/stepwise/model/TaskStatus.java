package io.stepwise.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of a task. Failed, cancelled and rejected tasks can be retried; pending, running and
 * awaiting-review ones cancelled. {@code awaiting_review}: the execution waits at the pipeline's
 * review step for a person's decision; {@code rejected}: the reviewer said no, nothing after the
 * review ran.
 */
public enum TaskStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  AWAITING_REVIEW,
  REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean retryable() {
    return this == FAILED || this == CANCELLED || this == REJECTED;
  }

  /** Not finished: its execution may still run (or is about to start). */
  public boolean active() {
    return this == PENDING || this == RUNNING || this == AWAITING_REVIEW;
  }

  public static TaskStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  public static Optional<TaskStatus> parse(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
  }
}
