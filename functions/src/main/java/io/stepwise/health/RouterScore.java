package io.stepwise.health;

import io.stepwise.models.ModelSpec;

/**
 * The router's score for a model that is healthy or degraded:
 *
 * <pre>
 * score = weight × health × successRate × 1 / (1 + emaLatencyMs / 1000) × 1 / (1 + costPer1kTokens / costReference)
 * </pre>
 *
 * where health is 1 for healthy and 0.5 for degraded. A model answering in 1 s on average scores
 * half of an instant one; one costing {@code costReference} per 1K tokens half of a free one;
 * weight multiplies it all, so an operator can prefer a model outright. Higher wins; scores within
 * {@link #TIE} (10 %) of the best are a tie, which the configured chain order breaks (the primary
 * first), so latency noise does not flip the choice.
 */
public final class RouterScore {

  /** Relative score difference below which two models count as equally good. */
  public static final double TIE = 0.10;

  private RouterScore() {}

  public static double of(ModelSpec model, ModelHealth health, double costReference) {
    double status =
        switch (health.status()) {
          case HEALTHY -> 1.0;
          case DEGRADED -> 0.5;
          default -> 0.0;
        };
    double successRate = health.successRate() == null ? 1.0 : health.successRate();
    double latency =
        health.emaLatencyMs() == null ? 1.0 : 1.0 / (1.0 + health.emaLatencyMs() / 1000.0);
    double cost = 1.0 / (1.0 + model.costPer1kTokens() / costReference);
    return model.weight() * status * successRate * latency * cost;
  }
}
