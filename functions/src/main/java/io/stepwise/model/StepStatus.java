package io.stepwise.model;

import java.util.Locale;

/**
 * Status of one step within a task; {@code stale} marks a result invalidated by a retry from an
 * earlier step. {@code retrying} and {@code cancelled} are never stored: they are how a stored
 * {@code failed} or {@code running} reads given the task around it (a failed attempt the state
 * machine will retry; a step in flight when its task was cancelled).
 */
public enum StepStatus {
  PENDING,
  RUNNING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  STALE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
