package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;

/** A configured model, immutable. {@code apiKeyEnv} names where the key is, never the key. */
public record ModelSpec(
    String name,
    Provider provider,
    String baseUrl,
    String model,
    @Nullable String apiKeyEnv,
    double weight,
    double costPer1kTokens,
    boolean enabled) {}
