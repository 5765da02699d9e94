package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;

/**
 * A configured model, immutable. {@code apiKeyEnv} (an environment variable) or {@code apiKeySecret} (a Secrets
 * Manager secret name or ARN) names where the key is, never the key. {@code weight} and
 * {@code costPer1kTokens} feed the router's score; {@code probe} is how the health check tests it.
 */
public record ModelSpec(
    String name,
    Provider provider,
    String baseUrl,
    String model,
    @Nullable String apiKeyEnv,
    double weight,
    double costPer1kTokens,
    boolean enabled,
    ProbeKind probe,
    @Nullable String apiKeySecret) {

  /** A model probed by listing (the default), its key in the environment. */
  public ModelSpec(
      String name, Provider provider, String baseUrl, String model, @Nullable String apiKeyEnv, double weight,
      double costPer1kTokens, boolean enabled) {
    this(name, provider, baseUrl, model, apiKeyEnv, weight, costPer1kTokens, enabled, ProbeKind.MODELS_LIST, null);
  }
}
