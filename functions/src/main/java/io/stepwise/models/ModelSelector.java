package io.stepwise.models;

import io.stepwise.steps.errors.StepException;
import java.util.List;

/**
 * Which models to try for the next call, in order. The first is the choice (picked by the
 * strategy), the rest the fallback chain. {@code io.stepwise.health.HealthRouter} is the
 * health-aware implementation.
 */
public interface ModelSelector {

  List<Choice> candidates(RoutingStrategy strategy);

  /** The candidates by the default strategy ({@code score}). */
  default List<Choice> candidates() {
    return candidates(RoutingStrategy.SCORE);
  }

  /** Tells the selector a model failed during a task, so it can route around it. */
  void reportFailure(ModelSpec model, StepException error);

  /** A model to try and why: {@code chosen} or {@code fallback}. */
  record Choice(ModelSpec model, String reason) {}
}
