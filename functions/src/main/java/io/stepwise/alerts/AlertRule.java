package io.stepwise.alerts;

import java.util.Arrays;
import java.util.Optional;

/** The alert rules (seed 002's four and model health), by their wire names. */
public enum AlertRule {
  /** Failed / (succeeded + failed) of the tasks that finished in the window, in percent. */
  FAILURE_RATE("failure-rate", "percent"),
  /** Average duration (creation to success) of the tasks that succeeded in the window. */
  SLOW_TASKS("slow-tasks", "ms"),
  /** Running tasks whose last step progress is older than {@code stuck-tasks.after}. */
  STUCK_TASKS("stuck-tasks", "tasks"),
  /** Pending tasks. */
  BACKLOG("backlog", "tasks"),
  /** Enabled models whose latest status is {@code unhealthy}. */
  MODEL_HEALTH("model-health", "models");

  private final String wire;
  private final String unit;

  AlertRule(String wire, String unit) {
    this.wire = wire;
    this.unit = unit;
  }

  public String wire() {
    return wire;
  }

  /** What the rule's value and threshold count. */
  public String unit() {
    return unit;
  }

  public static Optional<AlertRule> parse(String wire) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
  }
}
