package io.stepwise.models;

import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Keys from the environment variable the model's {@code api-key-env} names (how Lambda receives them, and how a
 * developer passes real keys locally). A JVM system property of the same name is the fallback, so that the
 * local runtime and tests can supply keys without touching the process environment.
 */
@Singleton
public class EnvironmentApiKeys implements ApiKeys {

  @Override
  public Optional<String> keyFor(ModelSpec model) {
    if (model.apiKeyEnv() == null || model.apiKeyEnv().isBlank()) {
      return Optional.empty();
    }
    String value = System.getenv(model.apiKeyEnv());
    if (value == null || value.isBlank()) {
      value = System.getProperty(model.apiKeyEnv());
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
