package io.stepwise.lambda;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.stepwise.model.Pipelines;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The pipelines deployed with this jar, as a bean: the same list the infra app and the local
 * runtime read, with each step's retry policy from configuration ({@code
 * stepwise.pipelines.<name>.retry.*}); an invalid value fails the start, naming the key, and so
 * does a key that has moved (a setting silently ignored would be worse).
 */
@Factory
public class PipelinesFactory {

  /** Keys that once configured one pipeline at the top level, and where each lives now. */
  static final Map<String, String> MOVED =
      Map.of(
          "stepwise.analyze",
              "the model chain and call timeout to stepwise.routing.{primary,fallbacks,timeout},"
                  + " analyze's tactics to stepwise.pipelines.paper-digest.steps.analyze.*",
          "stepwise.report", "stepwise.pipelines.research-report.*",
          "stepwise.defaults", "stepwise.pipelines.paper-digest.defaults.*");

  @Singleton
  public Pipelines pipelines(Environment environment) {
    MOVED.forEach(
        (old, now) -> {
          if (environment.containsProperties(old)) {
            throw new ConfigurationException(
                old + ".* is no longer read: it moved to " + now + " (docs/operations.md)");
          }
        });
    return Pipelines.installed(key -> environment.getProperty(key, String.class));
  }
}
