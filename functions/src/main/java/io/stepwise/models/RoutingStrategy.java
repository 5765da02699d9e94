package io.stepwise.models;

import java.util.Locale;

/**
 * How a router picks the first model for a call among the available ones. Every strategy skips
 * unhealthy and cooled-down models; the rest of the chain follows the pick as fallbacks.
 */
public enum RoutingStrategy {
  /**
   * The best {@code RouterScore} (weight, health, success rate, latency, cost); near ties go to the
   * chain order.
   */
  SCORE("score"),
  /**
   * Smooth weighted round-robin over the models' {@code weight}: weight 3 gets three calls for
   * weight 1's one.
   */
  WEIGHTED_ROUND_ROBIN("weighted-round-robin"),
  /** The fewest calls in flight from this instance (ties at random). */
  LEAST_BUSY("least-busy"),
  /** The lowest latency EMA: this instance's observed calls, else the health checks'. */
  LATENCY("latency"),
  /** The lowest {@code cost-per1k-tokens} (ties in chain order). */
  COST("cost"),
  /** Uniformly at random (LiteLLM's simple-shuffle). */
  RANDOM("random");

  private final String wire;

  RoutingStrategy(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static RoutingStrategy parse(String value) {
    for (RoutingStrategy s : values()) {
      if (s.wire.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown routing strategy '"
            + value
            + "'; use score, weighted-round-robin, least-busy, latency, cost or random");
  }
}
