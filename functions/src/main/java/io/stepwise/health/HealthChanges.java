package io.stepwise.health;

/**
 * Told when a sweep stores a model status different from the one before (healthy → degraded,
 * unhealthy → healthy, ...). Called once per change: the sweep's conditional write lets one sweep
 * store each result, and only the sweep that stored it reports the change. A first result of {@code
 * healthy} after {@code unknown} (a fresh deployment) is no change worth telling; a first {@code
 * degraded} or {@code unhealthy} is.
 *
 * <p>Implementations (the alert history, the EventBridge event on AWS) must not throw for a failure
 * of their own: the sweep logs what one throws and carries on with the next.
 */
public interface HealthChanges {

  void changed(ModelHealth before, ModelHealth after);

  /** Whether going from {@code before} to {@code after} is a change listeners are told of. */
  static boolean isChange(HealthStatus before, HealthStatus after) {
    if (before == after || after == HealthStatus.UNKNOWN) {
      return false;
    }
    return before != HealthStatus.UNKNOWN || after != HealthStatus.HEALTHY;
  }
}
