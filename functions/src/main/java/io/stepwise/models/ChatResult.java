package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;

/**
 * A model's answer. {@code finishReason} is normalised to the OpenAI vocabulary: {@code stop},
 * {@code length}, {@code content_filter}, or what the provider said (null when it said nothing).
 * The token counts are the provider's; {@code estimated} when it reported none and they were
 * estimated from the text ({@link TokenEstimate}).
 */
public record ChatResult(
    String content,
    @Nullable String finishReason,
    int promptTokens,
    int completionTokens,
    boolean estimated) {

  /** The provider's own token counts. */
  public ChatResult(
      String content, @Nullable String finishReason, int promptTokens, int completionTokens) {
    this(content, finishReason, promptTokens, completionTokens, false);
  }
}
