package io.stepwise.models;

import java.util.Optional;

/**
 * Where model API keys come from. Keys are read when needed and never stored, logged or returned.
 */
public interface ApiKeys {

  /**
   * The key for the model, or empty when the model needs none (e.g. a local Ollama). A key that is
   * configured but cannot be read is a {@link io.stepwise.steps.errors.StepException} (transient or
   * terminal).
   */
  Optional<String> keyFor(ModelSpec model);
}
