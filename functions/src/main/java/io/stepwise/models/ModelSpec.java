package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;

/**
 * A configured model, immutable. {@code apiKeyEnv} (an environment variable) or {@code
 * apiKeySecret} (a Secrets Manager secret name or ARN) names where the key is, never the key.
 * {@code weight} and {@code costPer1kTokens} feed the router's score; {@code probe} is how the
 * health check tests it; {@code maxInFlight} bounds the calls to it at once from one function
 * instance ({@link ModelLoad}); {@code request} is the shape its chat requests take ({@link
 * RequestOptions}).
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
    @Nullable String apiKeySecret,
    int maxInFlight,
    RequestOptions request) {

  /** Calls in flight to one model per instance unless configured ({@code max-in-flight}). */
  public static final int DEFAULT_MAX_IN_FLIGHT = 8;

  /** A model probed by listing (the default), its key in the environment. */
  public ModelSpec(
      String name,
      Provider provider,
      String baseUrl,
      String model,
      @Nullable String apiKeyEnv,
      double weight,
      double costPer1kTokens,
      boolean enabled) {
    this(
        name,
        provider,
        baseUrl,
        model,
        apiKeyEnv,
        weight,
        costPer1kTokens,
        enabled,
        ProbeKind.MODELS_LIST,
        null,
        DEFAULT_MAX_IN_FLIGHT);
  }

  /** Requests in the default shape. */
  public ModelSpec(
      String name,
      Provider provider,
      String baseUrl,
      String model,
      @Nullable String apiKeyEnv,
      double weight,
      double costPer1kTokens,
      boolean enabled,
      ProbeKind probe,
      @Nullable String apiKeySecret,
      int maxInFlight) {
    this(
        name,
        provider,
        baseUrl,
        model,
        apiKeyEnv,
        weight,
        costPer1kTokens,
        enabled,
        probe,
        apiKeySecret,
        maxInFlight,
        RequestOptions.DEFAULT);
  }
}
