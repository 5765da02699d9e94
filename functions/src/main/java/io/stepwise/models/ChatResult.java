package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;

/**
 * A model's answer. {@code finishReason} is normalised to the OpenAI vocabulary: {@code stop},
 * {@code length}, {@code content_filter}, or what the provider said (null when it said nothing).
 */
public record ChatResult(
    String content, @Nullable String finishReason, int promptTokens, int completionTokens) {}
