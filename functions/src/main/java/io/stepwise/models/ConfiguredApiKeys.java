package io.stepwise.models;

import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * A model's key from where its configuration says: the environment ({@code api-key-env}) or Secrets
 * Manager ({@code api-key-secret}). A model naming neither needs no key (e.g. a local Ollama). A
 * model naming a variable that is not set fails before any request, as {@code key_unavailable: set
 * <VARIABLE>} (terminal for this model: the router moves on, the health check says so), rather than
 * calling the provider without a key.
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
    if (model.apiKeyEnv() != null && !model.apiKeyEnv().isBlank()) {
      return Optional.of(
          EnvironmentApiKeys.read(model.apiKeyEnv())
              .orElseThrow(() -> new TerminalStepException(missing(model))));
    }
    return Optional.empty();
  }

  /** What a model whose key variable is unset says, at start and on each call. */
  public static String missing(ModelSpec model) {
    return "key_unavailable: set "
        + model.apiKeyEnv()
        + " (the API key of model "
        + model.name()
        + ")";
  }

  /**
   * Whether the model's key can be read now, without reading a secret (for the local runtime's
   * start).
   */
  public static boolean keyMissing(ModelSpec model) {
    return model.apiKeyEnv() != null
        && !model.apiKeyEnv().isBlank()
        && EnvironmentApiKeys.read(model.apiKeyEnv()).isEmpty();
  }
}
