package io.stepwise.models;

import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * A model's key from where its configuration says: the environment ({@code api-key-env}) or Secrets Manager
 * ({@code api-key-secret}). A model naming neither needs no key (e.g. a local Ollama).
 */
@Singleton
public class ConfiguredApiKeys implements ApiKeys {

  private final SecretsManagerApiKeys secrets;

  ConfiguredApiKeys(SecretsManagerApiKeys secrets) {
    this.secrets = secrets;
  }

  @Override
  public Optional<String> keyFor(ModelSpec model) {
    if (model.apiKeySecret() != null && !model.apiKeySecret().isBlank()) {
      return Optional.of(secrets.read(model.apiKeySecret()));
    }
    return EnvironmentApiKeys.read(model.apiKeyEnv());
  }
}
