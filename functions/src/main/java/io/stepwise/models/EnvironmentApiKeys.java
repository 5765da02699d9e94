package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import java.util.Optional;

/**
 * Keys from the environment variable the model's {@code api-key-env} names (how Lambda receives
 * them, and how a developer passes real keys locally). A JVM system property of the same name is
 * the fallback, so that the local runtime and tests can supply keys without touching the process
 * environment.
 */
public final class EnvironmentApiKeys {

  private EnvironmentApiKeys() {}

  public static Optional<String> read(@Nullable String variable) {
    if (variable == null || variable.isBlank()) {
      return Optional.empty();
    }
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      value = System.getProperty(variable);
    }
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
