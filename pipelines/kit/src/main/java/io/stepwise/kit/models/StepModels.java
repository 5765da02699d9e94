package io.stepwise.kit.models;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;
import io.stepwise.models.ModelCatalog;
import jakarta.inject.Singleton;

/**
 * A model-calling step's settings from configuration: the pipeline's defaults for the step, with
 * {@code stepwise.pipelines.<pipeline>.steps.<step>.*} applied, the platform's routing strategy
 * when the step names none, and every model it names checked against the catalogue.
 */
@Singleton
public class StepModels {

  private final PropertyResolver config;
  private final ModelCatalog catalog;
  private final String platformStrategy;

  public StepModels(
      PropertyResolver config,
      ModelCatalog catalog,
      @Value("${stepwise.routing.strategy:score}") String platformStrategy) {
    this.config = config;
    this.catalog = catalog;
    this.platformStrategy = platformStrategy;
  }

  /** The configuration prefix of one step's model settings. */
  public static String prefix(String pipeline, String step) {
    return "stepwise.pipelines." + pipeline + ".steps." + step;
  }

  public ModelStepSettings settings(String pipeline, String step, ModelStepSettings defaults) {
    String prefix = prefix(pipeline, step);
    ModelStepSettings read = defaults.read(config, prefix);
    for (String name : read.chain()) {
      known(name, prefix + ".primary/fallbacks");
    }
    if (read.backup() != null) {
      known(read.backup(), prefix + ".backup");
    }
    return read.strategy() != null ? read : read.withStrategy(platformStrategy);
  }

  private void known(String model, String key) {
    if (catalog.find(model).isEmpty()) {
      throw new ConfigurationException(
          key + " names unknown model " + model + " (stepwise.models lists the models)");
    }
  }
}
