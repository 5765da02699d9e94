package io.stepwise.kit.models;

import io.stepwise.steps.errors.TerminalStepException;

/**
 * An answer that is still not what the step asked for after one repair request. Asking the same
 * model again pays for the same answer: the failure is terminal, so the router takes the item to
 * the next model of the chain and, when none is left, the step fails at once instead of being
 * retried by the state machine. The error quotes the answer's start (already free of keys: the
 * gateway redacts answers), which is what an operator needs to see why.
 */
public final class Unreadable {

  /** How much of the answer the error quotes. */
  static final int QUOTED = 80;

  private Unreadable() {}

  /**
   * {@code "<model> did not answer with <what>, even after a repair request; it answered: \"…\""}.
   */
  public static TerminalStepException answer(String model, String what, String lastAnswer) {
    return new TerminalStepException(
        model
            + " did not answer with "
            + what
            + ", even after a repair request; it answered: \""
            + start(lastAnswer)
            + "\"");
  }

  static String start(String answer) {
    if (answer == null || answer.isBlank()) {
      return "";
    }
    String line = answer.strip().replaceAll("\\s+", " ");
    return line.length() <= QUOTED ? line : line.substring(0, QUOTED) + "…";
  }
}
