package io.stepwise.health;

import io.stepwise.models.ModelLoad;
import io.stepwise.models.ModelSpec;
import io.stepwise.models.RoutingStrategy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;

/**
 * The first pick of each {@link RoutingStrategy} other than {@code score}, among a pool of
 * available models given in chain order (which breaks ties where a strategy says so).
 */
final class Strategies {

  private final ModelLoad load;
  private final Map<String, Double> roundRobin = new HashMap<>();

  /** Unique per environment restored from a SnapStart snapshot (see {@code ChatTactics}). */
  private static final SecureRandom RANDOM = new SecureRandom();

  Strategies(ModelLoad load) {
    this.load = load;
  }

  /** The first choice in {@code pool}; ties go to the earlier model of the call's chain. */
  ModelSpec pick(
      RoutingStrategy strategy,
      List<ModelSpec> pool,
      Map<String, ModelHealth> health,
      ToIntFunction<ModelSpec> chainPosition) {
    return switch (strategy) {
      case WEIGHTED_ROUND_ROBIN -> weightedRoundRobin(pool);
      case LEAST_BUSY -> leastBusy(pool);
      case LATENCY ->
          pool.stream()
              .min(
                  Comparator.comparingLong((ModelSpec m) -> latency(m, health.get(m.name())))
                      .thenComparingInt(chainPosition))
              .orElseThrow();
      case COST ->
          pool.stream()
              .min(
                  Comparator.comparingDouble(ModelSpec::costPer1kTokens)
                      .thenComparingInt(chainPosition))
              .orElseThrow();
      case RANDOM -> pool.get(RANDOM.nextInt(pool.size()));
      case SCORE -> throw new IllegalArgumentException("score is the router's own ranking");
    };
  }

  /**
   * Smooth weighted round-robin (as nginx does it): each pick adds every model's weight to its
   * running total, takes the highest and subtracts the pool's total weight from it. Over any run of
   * picks each model's share is its weight's, and the picks interleave instead of coming in bursts.
   */
  private synchronized ModelSpec weightedRoundRobin(List<ModelSpec> pool) {
    double total = 0;
    ModelSpec best = null;
    for (ModelSpec m : pool) {
      double current = roundRobin.merge(m.name(), m.weight(), Double::sum);
      total += m.weight();
      if (best == null || current > roundRobin.get(best.name())) {
        best = m;
      }
    }
    roundRobin.merge(best.name(), -total, Double::sum);
    return best;
  }

  /**
   * Fewest calls in flight; among equals at random, so simultaneous picks spread instead of piling
   * on one.
   */
  private ModelSpec leastBusy(List<ModelSpec> pool) {
    int fewest = Integer.MAX_VALUE;
    List<ModelSpec> best = new ArrayList<>();
    for (ModelSpec m : pool) {
      int n = load.inFlight(m.name());
      if (n < fewest) {
        fewest = n;
        best.clear();
      }
      if (n == fewest) {
        best.add(m);
      }
    }
    return best.get(RANDOM.nextInt(best.size()));
  }

  /** This instance's observed EMA, else the health checks' EMA, else unknown (last). */
  private long latency(ModelSpec model, ModelHealth health) {
    OptionalLong observed = load.observedLatencyMs(model.name());
    if (observed.isPresent()) {
      return observed.getAsLong();
    }
    return health != null && health.emaLatencyMs() != null ? health.emaLatencyMs() : Long.MAX_VALUE;
  }
}
