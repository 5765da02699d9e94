package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * One chat completion: a system prompt and the conversation so far.
 *
 * @param timeout how long the call may take; null for the platform's ({@code
 *     stepwise.routing.timeout})
 */
public record ChatRequest(
    String system,
    List<Message> messages,
    int maxTokens,
    double temperature,
    @Nullable Duration timeout) {

  public ChatRequest(String system, List<Message> messages, int maxTokens, double temperature) {
    this(system, messages, maxTokens, temperature, null);
  }

  /** The same request with {@code timeout} (null: the platform's). */
  public ChatRequest withTimeout(@Nullable Duration timeout) {
    return new ChatRequest(system, messages, maxTokens, temperature, timeout);
  }

  /** A turn: {@code user} or {@code assistant}. */
  public record Message(String role, String content) {}
}
