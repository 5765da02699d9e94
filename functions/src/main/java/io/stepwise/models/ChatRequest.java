package io.stepwise.models;

import java.util.List;

/** One chat completion: a system prompt and the conversation so far. */
public record ChatRequest(
    String system, List<Message> messages, int maxTokens, double temperature) {

  /** A turn: {@code user} or {@code assistant}. */
  public record Message(String role, String content) {}
}
