package io.stepwise.fakes;

import java.util.List;

/**
 * A chat request as the local model server received it, in either protocol: the system prompt and
 * the turns. A model that takes no system prompt gets it at the head of the first user message (as
 * Stepwise sends it to OpenAI's reasoning models); {@link #instructions()} and {@link #prompt()}
 * read both shapes alike.
 *
 * @param system the system (or developer) prompt; empty when the request had none
 * @param turns the messages in order, {@code user} and {@code assistant}
 */
public record Conversation(String system, List<Turn> turns) {

  /** One message: its role and its text. */
  public record Turn(String role, String content) {}

  public Conversation {
    system = system == null ? "" : system;
    turns = List.copyOf(turns);
  }

  /**
   * The first user message: what the pipeline asked about (a repair or continuation request comes
   * later).
   */
  public String prompt() {
    return turns.stream()
        .filter(t -> t.role().equals("user"))
        .map(Turn::content)
        .findFirst()
        .orElse("");
  }

  /**
   * What the model is told to do: the system prompt, or, when the request had none, the first user
   * message.
   */
  public String instructions() {
    return system.isBlank() ? prompt() : system;
  }
}
