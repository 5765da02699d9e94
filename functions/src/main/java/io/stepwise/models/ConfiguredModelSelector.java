package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.stepwise.steps.errors.StepException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** The configured primary model, then the configured fallback chain, skipping disabled models. */
@Singleton
public class ConfiguredModelSelector implements ModelSelector {

  private final List<Choice> choices;

  public ConfiguredModelSelector(
      ModelCatalog catalog,
      @Value("${stepwise.analyze.primary}") String primary,
      @Value("${stepwise.analyze.fallbacks:}") List<String> fallbacks) {
    List<Choice> list = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add(primary);
    names.addAll(fallbacks);
    for (String name : names) {
      if (name.isBlank()) {
        continue;
      }
      ModelSpec spec = catalog.find(name).orElseThrow(() -> new IllegalStateException("stepwise.analyze names unknown model " + name));
      if (spec.enabled()) {
        list.add(new Choice(spec, list.isEmpty() ? "chosen" : "fallback"));
      }
    }
    this.choices = List.copyOf(list);
  }

  @Override
  public List<Choice> candidates() {
    return choices;
  }

  @Override
  public void reportFailure(ModelSpec model, StepException error) {
    // The configured order is fixed; health-aware routing (issue 5) adds cooldowns.
  }
}
