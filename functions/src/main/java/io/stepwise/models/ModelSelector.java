package io.stepwise.models;

import io.stepwise.steps.errors.StepException;
import java.util.List;

/**
 * Which models to try for the next call, in order. The first is the choice, the rest the fallback chain.
 * Health-aware routing replaces the configured implementation later without touching the analyze step.
 */
public interface ModelSelector {

  List<Choice> candidates();

  /** Tells the selector a model failed during a task, so it can route around it. */
  void reportFailure(ModelSpec model, StepException error);

  /** A model to try and why: {@code chosen} or {@code fallback}. */
  record Choice(ModelSpec model, String reason) {}
}
