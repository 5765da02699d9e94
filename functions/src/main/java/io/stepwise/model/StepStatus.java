package io.stepwise.model;

import java.util.Locale;

/** Status of one step within a task; {@code stale} marks a result invalidated by a retry from an earlier step. */
public enum StepStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  STALE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
