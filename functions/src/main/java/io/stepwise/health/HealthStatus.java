package io.stepwise.health;

import java.util.Locale;

/** What the last checks say about a model. */
public enum HealthStatus {
  /** The last probe succeeded within the slow threshold. */
  HEALTHY,
  /** The last probe was slow, or failed fewer times in a row than the unhealthy count. */
  DEGRADED,
  /**
   * Failed the unhealthy count of times in a row, or an auth/billing error (which no retry fixes).
   */
  UNHEALTHY,
  /** Never checked. */
  UNKNOWN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static HealthStatus parse(String value) {
    return value == null ? UNKNOWN : valueOf(value.toUpperCase(Locale.ROOT));
  }
}
