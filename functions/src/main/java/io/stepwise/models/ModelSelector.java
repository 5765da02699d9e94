package io.stepwise.models;

import io.stepwise.steps.errors.StepException;
import java.util.List;

/**
 * Which models to try for the next call, in order. The first is the choice (picked by the
 * strategy), the rest the fallback chain. {@code io.stepwise.health.HealthAwareSelector} is the
 * health-aware implementation.
 */
public interface ModelSelector {

  /**
   * @param chain the call's own model chain (a step's {@code primary} and {@code fallbacks}); empty
   *     for the platform's ({@code stepwise.routing.*})
   */
  List<Choice> candidates(RoutingStrategy strategy, List<String> chain);

  /** The candidates by {@code strategy} along the platform's chain. */
  default List<Choice> candidates(RoutingStrategy strategy) {
    return candidates(strategy, List.of());
  }

  /** The candidates by the default strategy ({@code score}). */
  default List<Choice> candidates() {
    return candidates(RoutingStrategy.SCORE);
  }

  /** Tells the selector a model failed during a task, so it can route around it. */
  void reportFailure(ModelSpec model, StepException error);

  /** A model to try and why: {@code chosen} or {@code fallback}. */
  record Choice(ModelSpec model, String reason) {}
}
